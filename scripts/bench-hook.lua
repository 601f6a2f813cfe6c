-- wrk script: every request is a new Google Forms submission (a fresh responseId), so each
-- one runs the whole write path: raw body stored, mapped, posting + two outbox emails.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("prefix", string.format("bench-%d-%d", os.time(), threads))
end

local n = 0
function request()
  n = n + 1
  local body = string.format([[{"responseId":"%s-%d","formId":"bench","items":[
    {"title":"求人タイトル","response":"ベンチマークの求人 %d"},
    {"title":"仕事内容","response":"負荷試験で作られた求人です。"},
    {"title":"雇用形態","response":"パート・アルバイト"},
    {"title":"給与","response":"時給1,000円〜1,200円"},
    {"title":"応募方法","response":"メールでご連絡ください"},
    {"title":"事業所名","response":"負荷試験商店"},
    {"title":"メールアドレス","response":"bench@example.jp"}]}]], prefix, n, n)
  return wrk.format("POST", "/hooks/google-forms",
    {["Content-Type"] = "application/json", ["X-Yui-Secret"] = os.getenv("YUI_BENCH_SECRET")}, body)
end
