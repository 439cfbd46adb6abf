// A wheel whose tag claims manylinux2014 but whose extension module needs glibc 2.27 is refused for a manylinux2014
// target, naming the file and the symbol version; the same wheel as published passes for manylinux_2_28.
def log = new File(basedir, 'build.log').text
assert log =~ /numpy-2\.4\.6-cp311-cp311-manylinux2014_x86_64\.whl has native code that manylinux2014_x86_64 \(glibc 2\.17[^)]*\) cannot load:/
assert log =~ /numpy\/_core\/_multiarray_umath\.cpython-311-x86_64-linux-gnu\.so needs .*GLIBC_2\.2[0-9] \(libm\.so\.6\)/
assert log.contains('<allowNativeMismatch>') : 'the way out for a package checked by hand'
// The second build: the published wheel for a manylinux_2_28 target.
assert log =~ /\[INFO\] numpy +2\.4\.6 +[0-9.]+ MB  native  environment archive +glibc 2\.2[0-9] +numpy-2\.4\.6-cp311-cp311-manylinux_2_27_x86_64\.manylinux_2_28_x86_64\.whl/
assert new File(basedir, 'target/lying-wheel-1.0.0-pyenv.tar.gz').isFile()
return true
