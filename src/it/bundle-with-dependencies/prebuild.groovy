// Writes the wheels the project depends on into wheels/ (a find-links directory): greeter 1.0 and 2.0 (2.0 needs
// Python 3.12, so 1.0 must be chosen for the 3.11 target) depending on tiny-dep.
def wheel = evaluate(new File(basedir, '../../../src/it/write-wheel.groovy'))
def wheels = new File(basedir, 'wheels')
wheel(wheels, [name: 'greeter', version: '1.0', modules: ['greeter/__init__.py': 'from tiny_dep import EXCLAIM\n\ndef greet(n):\n    return "hello " + n + EXCLAIM\n'],
               deps: ['tiny-dep>=1'], py: '>=3.8'])
wheel(wheels, [name: 'greeter', version: '2.0', modules: ['greeter/__init__.py': 'def greet(n):\n    return "v2"\n'], deps: ['tiny-dep>=1'], py: '>=3.12'])
wheel(wheels, [name: 'tiny-dep', version: '1.0', modules: ['tiny_dep/__init__.py': 'EXCLAIM = "!"\n']])
return true
