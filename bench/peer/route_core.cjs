// The routing workload on Segment's own libraries: parseFql once per mapping,
// validate(ast, event) per event, mapping-kit transform for every match.
//   node route_core.cjs WORKLOAD_JSON N WARMUP        -> one JSON line of figures
//   node route_core.cjs WORKLOAD_JSON N WARMUP dump   -> untimed; one line per payload:
//                                                       event index, mapping index, canonical JSON
'use strict'
const fs = require('fs')
const crypto = require('crypto')
const { transform } = require('@segment/actions-core')
const subscriptions = require('@segment/destination-subscriptions')

const TYPES = ['track', 'identify', 'page', 'screen', 'group']
const TRACK_EVENTS = ['Order Completed', 'Product Viewed', 'Signed Up', 'Button Clicked']

function makeEvent(i) {
  const event = { type: TYPES[i % 5] }
  if (event.type === 'track') event.event = TRACK_EVENTS[i % 4]
  Object.assign(event, {
    messageId: `m${i}`,
    userId: i % 3 !== 0 ? `user${i % 1000}` : null,
    anonymousId: `anon${i}`,
    timestamp: '2026-11-22T10:00:00.000Z',
    context: {
      ip: '10.0.0.1', userAgent: 'Mozilla/5.0', library: { name: 'analytics.js', version: '2.1' },
      device: { type: i % 2 ? 'ios' : 'android', id: `d${i}` },
      page: { url: `https://x.com/p?q=${i}`, path: '/p', referrer: 'https://google.com', title: 'T' },
      locale: 'en-US', os: { name: 'iOS', version: '17' }
    },
    properties: {
      revenue: (i % 100) + 0.5, currency: 'USD', order_id: `o${i}`,
      products: [
        { product_id: 'p1', price: 9.99, quantity: 1, name: 'Shoe' },
        { product_id: 'p2', price: 19.99, quantity: 2, name: 'Hat' }
      ],
      email: `a${i}@example.com`, plan: 'pro'
    },
    traits: { email: `u${i}@example.com`, name: `User ${i}`, plan: 'premium', address: { city: 'SF', country: 'US' } }
  })
  return event
}

// JSON.stringify with sorted keys: undefined is left out of objects and null in arrays,
// exactly as the payload would go over the wire; bench/_workload.py writes the same.
function canonical(value) {
  if (value !== null && typeof value === 'object' && typeof value.toJSON === 'function') value = value.toJSON()
  if (Array.isArray(value)) return '[' + value.map((item) => (item === undefined ? 'null' : canonical(item))).join(',') + ']'
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).filter((key) => value[key] !== undefined).sort()
    return '{' + keys.map((key) => JSON.stringify(key) + ':' + canonical(value[key])).join(',') + '}'
  }
  return value === undefined ? 'null' : JSON.stringify(value)
}

function route(routes, events, out) {
  for (const event of events) {
    for (const r of routes) {
      if (subscriptions.validate(r.ast, event)) out.push(transform(r.mapping, event))
    }
  }
}

function dump(routes, events) {
  events.forEach((event, index) => {
    routes.forEach((r, which) => {
      if (subscriptions.validate(r.ast, event)) console.log(`${index}\t${which}\t${canonical(transform(r.mapping, event))}`)
    })
  })
}

const [workloadPath, n, warmup, mode] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] || 0), process.argv[5]]
const mappings = JSON.parse(fs.readFileSync(workloadPath, 'utf8')).mappings
const routes = mappings.map((m) => ({ ast: subscriptions.parseFql(m.subscribe), mapping: m.mapping }))
const events = Array.from({ length: n }, (_, i) => makeEvent(i))
if (mode === 'dump') {
  dump(routes, events)
} else {
  route(routes, events.slice(0, warmup), [])
  const payloads = []
  const start = process.hrtime.bigint()
  route(routes, events, payloads)
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const digest = crypto.createHash('sha256')
  for (const p of payloads) digest.update(canonical(p) + '\n')
  console.log(JSON.stringify({
    events: n, payloads: payloads.length, seconds, events_per_s: n / seconds,
    payloads_per_s: payloads.length / seconds, digest: digest.digest('hex'), node: process.version
  }))
}
