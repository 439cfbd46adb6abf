// Writes the find-links directories: wheels/ (greeter 1.0, a scikit-learn stand-in, fastlib for Windows) and
// wheels-new/ (greeter 1.0 and 2.0).
def wheel = evaluate(new File(basedir, '../../../src/it/write-wheel.groovy'))
def module = { String name, String version ->
    def files = [:]
    files[name.replace('-', '_') + '/__init__.py'] = "VERSION = '${version}'\n".toString()
    files
}
def wheels = new File(basedir, 'wheels')
def wheelsNew = new File(basedir, 'wheels-new')
wheel(wheels, [name: 'greeter', version: '1.0', modules: module('greeter', '1.0')])
wheel(wheels, [name: 'scikit-learn', version: '1.5.0', modules: module('scikit-learn', '1.5.0')])
wheel(wheels, [name: 'fastlib', version: '1.0', modules: module('fastlib', '1.0'), tag: 'cp311-cp311-win_amd64', pure: false])
wheel(wheelsNew, [name: 'greeter', version: '1.0', modules: module('greeter', '1.0')])
wheel(wheelsNew, [name: 'greeter', version: '2.0', modules: module('greeter', '2.0')])
return true
