"""The SOAP layer: spyne models, Marketo's envelope and fault format, the static WSDL, and the mapping
between wire objects and the domain."""

from mockmarketo.soap import spyne_compat

spyne_compat.install()
