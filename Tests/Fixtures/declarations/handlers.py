import json

class Handler:
    def 1️⃣handle(self, request):
        body = json.loads(request)
        return self.render(body)  # 2️⃣

async def 3️⃣fetch(url):
    x = await get(url)
    return x  # 4️⃣
