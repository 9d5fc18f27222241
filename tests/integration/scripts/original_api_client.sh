#!/bin/sh
# A script written for the Python original's API (its document's curl calls and JSON shapes),
# kept as such: it knows nothing of tokens. It runs unchanged against FlowLine when curl finds
# the Authorization header in its config file (CURL_HOME/.curlrc), as the README explains.
# BASE is where the server is, as such scripts set it (the original: http://127.0.0.1:5000).
set -eu
BASE=${BASE:-http://127.0.0.1:5000}
check() {  # check NAME PYTHON-EXPRESSION-ON-d < JSON
  python3 -c "import json,sys; d=json.load(sys.stdin); assert $2, '$1: ' + json.dumps(d)[:300]"
}
curl -sf $BASE/api/gpus | check gpus 'all(k.isdigit() and {"free_memory","total_memory","utilization","user_process_num","all_process_num","name","temperature","power","max_power","status"} <= set(v) for k, v in d.items()) and len(d) == 2'
curl -sf -X POST $BASE/api/gpu/1/switch | check switch-off 'd == {"gpu_id": "1", "success": True, "is_on": False}'
curl -sf $BASE/api/gpus | check disabled 'd["1"]["status"] == "disabled"'
curl -sf -X POST $BASE/api/gpu/1/switch | check switch-on 'd["is_on"] is True'
curl -sf $BASE/api/process | check process 'all({"process_id","pid","task_id","gpu_id","start_time","status","cmd"} <= set(v) and v["status"] == "RUNNING" for v in d.values()) and len(d) >= 1'
curl -sf $BASE/api/gpu/0/process | check gpu-process 'all(v["gpu_id"] == 0 for v in d.values())'
curl -sf $BASE/api/task/list | check task-list 'isinstance(d, list) and all({"task_id","name","cmd","run_num","need_run_num","status","dict"} <= set(t) for t in d) and d[0]["dict"].startswith("{")'
curl -sf $BASE/api/task/0 | check task 'd["task_id"] == 0'
curl -sf -X POST -H 'Content-Type: application/json' -d '{"name": "from-script", "cmd": "echo hi", "need_run_num": 1}' $BASE/api/task/create | check create 'd["success"] is True'
curl -sf $BASE/api/task/list | check created 'any(t["name"] == "from-script" for t in d)'
curl -sf -X POST $BASE/api/run | check run-off 'd["if_run"] is False'
curl -sf -X POST $BASE/api/run | check run-on 'd["if_run"] is True'
curl -sf $BASE/api/log/list | check log-list 'all({"name","fullPath","size","lastModified"} <= set(f) for f in d["files"]) and d["files"]'
NAME=$(curl -sf $BASE/api/log/list | python3 -c 'import json,sys; print([f["name"] for f in json.load(sys.stdin)["files"] if f["name"].endswith(".out")][0])')
curl -sf "$BASE/api/log/$NAME?maxLines=1000" | check log 'all({"timestamp","level","message"} <= set(l) for l in d["lines"]) and any("line one" in l["message"] for l in d["lines"])'
curl -sf $BASE/api/system/info | grep -q 'CPU: [0-9]* cores, Memory: '
curl -sf $BASE/api/system/uptime | check uptime 'set(d) == {"days","hours","minutes","seconds"}'
# Errors: a status and {"error": ...}.
test "$(curl -s -o /dev/null -w '%{http_code}' $BASE/api/task/999)" = 404
curl -s $BASE/api/task/999 | check error '"error" in d'
echo "original API script: all checks passed"
