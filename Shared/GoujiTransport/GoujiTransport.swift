// GoujiTransport: placeholder until the module's owner lands it.
