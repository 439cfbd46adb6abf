import demo_lib
