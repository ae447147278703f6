subprocess.call($CMD, ..., shell=True)
<... eval($X) ...>
