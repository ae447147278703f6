import mss
import pyautogui
from PIL import ImageGrab

# ruleid: MOAT-MAL012
image = ImageGrab.grab()
# ruleid: MOAT-MAL012
shot = pyautogui.screenshot()
with mss.mss() as sct:
    monitor = sct.monitors[0]
    # ruleid: MOAT-MAL012
    picture = sct.grab(monitor)

# ok: MOAT-MAL012
size = pyautogui.size()
