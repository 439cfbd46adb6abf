import importlib.metadata

import greeter
from app import NAME

print(greeter.greet(NAME), importlib.metadata.version("greeter"), importlib.metadata.version("tiny-dep"))
