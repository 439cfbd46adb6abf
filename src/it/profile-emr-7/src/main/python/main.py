import greeter
from app import NAME

print(greeter.greet(NAME))
