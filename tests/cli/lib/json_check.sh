# json_check.sh: sourced by CLI tests that look into JSON files (replay's diff.json, run's
# summary.json). Python 3 does the parsing (already a test dependency: check_cli, report), so the
# tests need no jq.
#   jcheck EXPR FILE...  exits 0 when the Python expression EXPR (may span lines) is true;
#                        j[0], j[1], ... are the files' parsed JSON (null is None)
#   jshow EXPR FILE...   prints EXPR's value as JSON (for failure messages)
jcheck() {
    python3 -c 'import json, sys
j = [json.load(open(f)) for f in sys.argv[2:]]
sys.exit(0 if eval("(" + sys.argv[1] + ")", {"j": j}) else 1)' "$@"
}
jshow() {
    python3 -c 'import json, sys
j = [json.load(open(f)) for f in sys.argv[2:]]
print(json.dumps(eval("(" + sys.argv[1] + ")", {"j": j})))' "$@"
}
