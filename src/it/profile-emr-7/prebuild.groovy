// Writes a find-links directory, wheels/: greeter 1.0 (Requires-Python >=3.8) and greeter 2.0 (>=3.10); the emr-7
// profile's Python 3.9 must choose 1.0.
def wheel = evaluate(new File(basedir, '../../../src/it/write-wheel.groovy'))
def wheels = new File(basedir, 'wheels')
wheel(wheels, [name: 'greeter', version: '1.0', modules: ['greeter/__init__.py': 'def greet(n):\n    return "hello " + n\n'], py: '>=3.8'])
wheel(wheels, [name: 'greeter', version: '2.0', modules: ['greeter/__init__.py': 'def greet(n):\n    return "v2"\n'], py: '>=3.10'])
return true
