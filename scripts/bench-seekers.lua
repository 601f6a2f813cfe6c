-- make bench: the seekers' mix. Every request a different search, as seekers send them: a
-- Japanese word (kanji, kana, a reading), now and then a filter or two and a later page.
local words = {
  "介護", "かいご", "漁業", "ぎょぎょう", "漁師", "水産", "未経験", "土日", "夜勤", "保育",
  "ほいく", "旅館", "調理", "ドライバー", "副業", "兼業", "ボランティア", "インターン", "Web",
  "移住", "寮", "農業", "アルバイト", "事務", "看護", "大工", "空き家", "英語", "観光", "写真",
  "ブリ", "うどん", "子育て", "パート", "正社員", "週3日", "資格", "ECサイト", "介護 夜勤", "鮮魚",
}
-- No later pages: a page past the last is a 404, and few of these searches have a second.
local filters = {
  "", "", "", "&type=part_time", "&type=full_time", "&cond=car", "&cond=beginner&cond=parking",
  "&category=care", "&area=chuo", "&remote=remote", "&salary_min=200000", "&type=side_job",
  "&hours_max=10&remote_min=80", "&months_max=3&reward=paid",
}
local function encode(s)
  return (s:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local n = 0
request = function()
  n = n + 1
  local w = words[(n % #words) + 1]
  local f = filters[(math.floor(n / #words) % #filters) + 1]
  return wrk.format("GET", "/jobs?q=" .. encode(w) .. f)
end
