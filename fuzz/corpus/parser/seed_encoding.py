# -*- coding: latin-1 -*-
if x:
	pass
else:
        y = """a\
b"""
