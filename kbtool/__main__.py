from kbtool.cli import console

console()
