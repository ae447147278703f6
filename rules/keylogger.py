import ctypes

import keyboard
from pynput.keyboard import Listener


def on_press(key):
    print(key)


# ruleid: MOAT-MAL013
listener = Listener(on_press=on_press)
# ruleid: MOAT-MAL013
keyboard.on_press(on_press)
# ruleid: MOAT-MAL013
state = ctypes.windll.user32.GetAsyncKeyState(0x41)

# ok: MOAT-MAL013
keyboard_layout = "qwerty"
