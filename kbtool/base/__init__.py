"""What every layer may use and that uses nothing of kbtool: safe reads, strict JSON and XML
text, the work counter, the garbage-collector pause, the version."""
