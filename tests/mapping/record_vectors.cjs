// Records extra mapping-kit vectors with Segment's own library, for tests/mapping.
// Reads {"payloads": {...}, "cases": [{id, mapping, payload}]} (payload: a name in
// "payloads", or absent) on stdin; writes the same with each case's "expect" added, in
// the format of tests/conformance/mapping.json.
// Usage: NODE_PATH=<dir with @segment/actions-core 3.170.0 and liquidjs 10.30.1>/node_modules \
//        node record_vectors.cjs < cases.json > extra_vectors.json
'use strict'
const { transform } = require('@segment/actions-core')
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'))
for (const c of input.cases) {
  // A fresh copy per case: liquidjs's increment and decrement write into the event.
  const payload = c.payload === undefined ? undefined : JSON.parse(JSON.stringify(input.payloads[c.payload]))
  try {
    const out = transform(c.mapping, payload)
    c.expect = out === undefined ? { undefined: true } : { output: out }
  } catch (e) {
    c.expect = { error: true, message: String(e && e.message).split('\n')[0] }
  }
}
process.stdout.write(JSON.stringify(input, null, 1) + '\n')
