"""One module per command (or command group); each defines a click object named `command`."""
