import briefer

from .fake_openai import server_tokens
from .test_small_windows import real_news


def test_dbg(fake, tmp_path):
    fake.context_window = 8000
    a = tmp_path / "long.txt"
    a.write_text(real_news(30_000))
    try:
        b = briefer.summarize(a, context_window=8000)
        print("WARN", b.warnings)
    except Exception as e:
        print("ERR", e)
    for r, reply in fake.served:
        kind = "PARTIALS" if "<<<PARTIALS" in str(r["messages"]) else "map"
        print(kind, server_tokens(r), r.get("max_tokens"), reply.status)
    assert 0
