from greeting.nested.words import HELLO


def hello(name):
    return "%s, %s!" % (HELLO, name)
