#!/usr/bin/env python3
"""Writes catalogue.jsonl: the bad-input catalogue shared by the unit test
(tests/unit/hostile_test.cc, run under ASan/UBSan in CI) and the integration
test (tests/integration/test_hostile.py, through the real broker).

Each line: {"name", "expect", and the record as one of
  "text": UTF-8 string | "hex": bytes | "generate": {"head","repeat","times","tail"} (text)}
`expect` is a dead-letter reason, or "valid" (an event or an irrelevant item:
valid but odd input must pass cleanly)."""
import json

cases = []


def add(name, expect, text=None, hexbytes=None, generate=None):
    c = {"name": name, "expect": expect}
    if text is not None:
        c["text"] = text
    if hexbytes is not None:
        c["hex"] = hexbytes.hex()
    if generate is not None:
        c["generate"] = generate
    cases.append(c)


ok = '{"id":"h-%s","title":"沪滇扶贫协作","body":%s}'
# --- malformed JSON
add("truncated object", "malformed_json", text='{"id":"h1","title":"沪滇')
add("truncated after key", "malformed_json", text='{"id":"h2","title":')
add("missing closing brace", "malformed_json", text='{"id":"h3","title":"t"')
add("trailing comma", "malformed_json", text='{"id":"h4","title":"t",}')
add("single quotes", "malformed_json", text="{'id':'h5','title':'t'}")
add("unquoted keys", "malformed_json", text='{id:"h6",title:"t"}')
add("NaN literal", "malformed_json", text='{"id":"h7","title":"t","x":NaN}')
add("comment", "malformed_json", text='{"id":"h8",/* c */"title":"t"}')
add("two objects", "malformed_json", text='{"id":"h9","title":"t"}{"id":"h9b","title":"t"}')
add("raw newline in string", "malformed_json", text='{"id":"h10","title":"a\nb"}')
add("raw NUL byte in string", "malformed_json", hexbytes=b'{"id":"h11","title":"a\x00b"}')
add("lone high surrogate escape", "malformed_json", text='{"id":"h12","title":"\\ud800x"}')
add("lone low surrogate escape", "malformed_json", text='{"id":"h13","title":"\\udc00"}')
add("byte order mark", "malformed_json", hexbytes=b'\xef\xbb\xbf{"id":"h14","title":"t"}')
add("bad escape", "malformed_json", text='{"id":"h15","title":"\\q"}')
# --- nesting and size
add("10000 nested arrays", "too_deep", generate={"head": "", "repeat": "[", "times": 10000, "tail": "]" * 10000})
add("10000 nested objects in a field", "too_deep",
    generate={"head": '{"id":"h17","title":"t","x":', "repeat": '{"a":', "times": 10000, "tail": "1" + "}" * 10001})
add("50 MB record", "oversized", generate={"head": '{"id":"h18","title":"t","body":"', "repeat": "x", "times": 50_000_000, "tail": '"}'})
add("empty record", "empty_record", text="")
add("only whitespace", "empty_record", text=" \r\n\t ")
# --- shape and types
add("JSON array", "not_an_object", text='[{"id":"h21","title":"t"}]')
add("JSON number", "not_an_object", text="42")
add("JSON string", "not_an_object", text='"沪滇扶贫协作"')
add("JSON null", "not_an_object", text="null")
add("JSON true", "not_an_object", text="true")
add("missing id", "missing_id", text='{"title":"沪滇扶贫协作","body":"正文"}')
add("numeric id", "bad_id", text='{"id":26,"title":"t"}')
add("null id", "bad_id", text='{"id":null,"title":"t"}')
add("object id", "bad_id", text='{"id":{"v":"h29"},"title":"t"}')
add("empty id", "bad_id", text='{"id":"","title":"t"}')
add("1000-byte id", "bad_id", text='{"id":"%s","title":"t"}' % ("i" * 1000))
add("no title or body", "missing_text", text='{"id":"h32","source":"s"}')
add("null title and body", "missing_text", text='{"id":"h33","title":null,"body":null}')
add("empty title and body", "missing_text", text='{"id":"h34","title":"","body":""}')
add("numeric title", "wrong_type", text='{"id":"h35","title":3,"body":"b"}')
add("array body", "wrong_type", text='{"id":"h36","body":["a","b"]}')
add("boolean url", "wrong_type", text='{"id":"h37","body":"b","url":false}')
add("object source", "wrong_type", text='{"id":"h38","body":"b","source":{}}')
# --- encodings
add("GBK bytes", "invalid_utf8", hexbytes=b'{"id":"h39","title":"' + "东西部扶贫协作".encode("gbk") + b'"}')
add("Big5 bytes", "invalid_utf8", hexbytes=b'{"id":"h40","title":"' + "東西部扶貧協作".encode("big5") + b'"}')
add("overlong slash", "invalid_utf8", hexbytes=b'{"id":"h41","title":"\xc0\xaf"}')
add("UTF-8 encoded surrogate", "invalid_utf8", hexbytes=b'{"id":"h42","title":"\xed\xa0\x80"}')
add("lone continuation byte", "invalid_utf8", hexbytes=b'{"id":"h43","title":"a\x80b"}')
add("truncated multibyte", "invalid_utf8", hexbytes=b'{"id":"h44","title":"\xe6\xb2"}')
add("binary garbage", "invalid_utf8", hexbytes=bytes([0xFF, 0xFE, 0x00, 0x01, 0x9C, 0x80, 0xC3, 0x28, 0xA0, 0xA1] * 20))
add("code point above U+10FFFF", "invalid_utf8", hexbytes=b'{"id":"h46","title":"\xf4\x90\x80\x80"}')
# --- valid but odd: must pass cleanly
add("duplicate keys", "valid", text='{"id":"h47","id":"h47b","title":"沪滇扶贫协作","title":"x"}')
add("NUL via escape", "valid", text=ok % ("48", '"上海\\u0000援助\\u0001云南"'))
add("zero-width and bidi controls", "valid",
    text=ok % ("49", json.dumps("东\u200b西\u200d部\u202e扶贫\u2066协作\u2069投入资金\ufeff3亿元", ensure_ascii=False)))
add("1 MB of one character", "valid", generate={"head": '{"id":"h50","title":"t","body":"', "repeat": "扶", "times": 340_000, "tail": '"}'})
add("huge string just under the limit", "valid",
    generate={"head": '{"id":"h51","title":"沪滇扶贫协作","body":"', "repeat": "上海援助云南资金1亿元。", "times": 30_000, "tail": '"}'})
add("backtracking bait: digits", "valid", generate={"head": '{"id":"h52","title":"沪滇","body":"', "repeat": "1", "times": 200_000, "tail": '亿元"}'})
add("backtracking bait: separators", "valid", generate={"head": '{"id":"h53","title":"沪滇","body":"', "repeat": "1,", "times": 100_000, "tail": '万元"}'})
add("backtracking bait: Chinese numerals", "valid", generate={"head": '{"id":"h54","title":"沪滇","body":"', "repeat": "十百千万", "times": 50_000, "tail": '亿元"}'})
add("backtracking bait: open tags", "valid", generate={"head": '{"id":"h55","title":"沪滇","body":"', "repeat": "<a ", "times": 100_000, "tail": '"}'})
add("backtracking bait: glosses", "valid", generate={"head": '{"id":"h56","title":"沪滇","body":"', "repeat": "戰(zhàn", "times": 50_000, "tail": '"}'})
add("backtracking bait: entities", "valid", generate={"head": '{"id":"h57","title":"沪滇","body":"', "repeat": "&#x", "times": 100_000, "tail": '"}'})
add("backtracking bait: question marks in CJK", "valid", generate={"head": '{"id":"h58","title":"沪滇","body":"', "repeat": "當?", "times": 100_000, "tail": '"}'})
add("100000 lines", "valid", generate={"head": '{"id":"h59","title":"沪滇","body":"', "repeat": "\\n", "times": 100_000, "tail": '"}'})
add("many unknown fields", "valid", generate={"head": '{"id":"h60","title":"沪滇扶贫协作"', "repeat": ',"k":[1,{"z":null}]', "times": 20_000, "tail": "}"})
add("huge number in extra field", "valid", text='{"id":"h61","title":"t","n":123456789012345678901234567890}')
add("CRLF and spaces around", "valid", text='\r\n  {"id":"h62","title":"粤桂协作"}  \r\n')
add("title only", "valid", text='{"id":"h63","title":"闽宁协作 福建援助宁夏资金2亿元"}')
add("emoji and astral plane", "valid", text=ok % ("64", json.dumps("🎉𠀀上海援助云南𝟏𝟐亿元", ensure_ascii=False)))
add("only markup", "valid", text=ok % ("65", json.dumps("<script>var a='东西部协作';</script><style>p{}</style><p></p>", ensure_ascii=False)))
add("mojibake only", "valid", text=ok % ("66", json.dumps("鏉变笢瑗块儴鎵惰传鍗忎綔 ?? 當?shù)馗刹", ensure_ascii=False)))

with open("catalogue.jsonl", "w", encoding="utf-8") as f:
    for c in cases:
        f.write(json.dumps(c, ensure_ascii=False) + "\n")
print(f"{len(cases)} cases")
