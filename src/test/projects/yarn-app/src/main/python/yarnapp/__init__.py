"""The project's own package, in the py-files zip."""


def shout(text):
    return text.upper() + "!"
