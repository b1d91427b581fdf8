from vapi_codegen.cli import main

main()
