from PIL import Image
from stegano import lsb

# ruleid: MOAT-MAL015
exec(lsb.reveal("logo.png"))

pixels = Image.open("banner.png").getdata()
hidden = bytes(p[0] & 1 for p in pixels)
# ruleid: MOAT-MAL015
exec(hidden.decode())

# ok: MOAT-MAL015
print(lsb.reveal("logo.png"))
