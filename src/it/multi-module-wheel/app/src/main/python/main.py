import shared_lib
print(shared_lib.shout("from the library wheel"))
