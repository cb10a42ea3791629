from commentscope.cli import main

main()
