from greeting import hello; print(hello("main"))
