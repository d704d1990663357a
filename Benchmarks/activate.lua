-- wrk script for PIM's Activate POST (POST /my-roles/activate, form-urlencoded), the
-- counterpart of the peer's post.lua. Each request activates one (user, role) pair that has not
-- been activated yet, so every POST does the real work (request, activation, audit chain,
-- outbox) until activators x roles pairs are used up; after that a pair repeats and PIM answers
-- "already active" (Benchmarks/portal.sh counts real activations in the database).
-- Environment: PIM_SESSIONS ("sid:csrf,sid:csrf,..." one per activator), PIM_ROLE_IDS
-- (comma-separated), PIM_THREADS (wrk -t, so threads take disjoint pairs), PIM_PAIR_OFFSET
-- (first pair, so that the measured run does not repeat the warm-up's pairs).
local function list(name)
  local value = os.getenv(name) or error(name .. " not set")
  local items = {}
  for item in value:gmatch("[^,]+") do items[#items + 1] = item end
  return items
end

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

-- The peer's justification (~200 characters, with characters that need encoding).
local justification = urlencode("Incident INC-20931: on-call needs temporary access to rotate credentials & "
  .. "restart the \"blue\" pool; expected duration < 2h, approved by manager J. Doe "
  .. "in ticket CHG-4471. Will revoke after verification.")

local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

local sessions, roles, step, k
function init(args)
  sessions, roles = {}, list("PIM_ROLE_IDS")
  for _, pair in ipairs(list("PIM_SESSIONS")) do
    local sid, csrf = pair:match("^([^:]+):(.+)$")
    sessions[#sessions + 1] = { cookie = "pim=" .. sid, csrf = csrf }
  end
  step = tonumber(os.getenv("PIM_THREADS") or "1")
  k = tonumber(os.getenv("PIM_PAIR_OFFSET") or "0") + (tid or 0) - step
end

function request()
  k = k + step
  local s = sessions[k % #sessions + 1]
  local role = roles[math.floor(k / #sessions) % #roles + 1]
  local body = "role=" .. role .. "&duration=60&justification=" .. justification .. "&csrf=" .. s.csrf
  return wrk.format("POST", "/my-roles/activate",
    { ["Cookie"] = s.cookie, ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
