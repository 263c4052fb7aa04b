// Artillery hooks of scenario.yml: pick an account, add the token, hold a quote stream.
//
// bench/load/locustfile.py implements the same functions in Python for the smoke run;
// a function added here needs its twin there (the smoke test checks the names).
'use strict';

const http = require('node:http');
const { threadId } = require('node:worker_threads');

const LOADED_AT = Date.now();
const USER_COUNT = Number(process.env.USER_COUNT || 1000);
const PASSWORD = process.env.LOAD_PASSWORD || 'load-test-horse-battery-42';
const STREAM_URL = process.env.STREAM_URL || 'http://127.0.0.1:8001';
const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'GOOGL', 'AMZN', 'TSLA', 'KO', 'JPM', 'XOM', 'SPY'];
const STREAM_SYMBOLS = 'AAPL,MSFT,SPY';

// Accounts are handed out in turn, so each user of one Artillery worker is its own account;
// a second worker starts elsewhere in the list (sharing an account is harmless: each sign-in
// is its own token family).
let nextAccount = (threadId * 7919) % USER_COUNT;

function pickAccount(context, events, next) {
  context.vars.username = `loaduser${(nextAccount % USER_COUNT) + 1}`;
  context.vars.password = PASSWORD;
  nextAccount += 1;
  return next();
}

function withToken(requestParams, context, events, next) {
  if (context.vars.token) {
    requestParams.headers = { ...requestParams.headers, Authorization: `Bearer ${context.vars.token}` };
  }
  return next();
}

function pickSymbols(context, events, next) {
  const start = Math.floor(Math.random() * SYMBOLS.length);
  const watchlist = [0, 1, 2, 3, 4].map((i) => SYMBOLS[(start + i) % SYMBOLS.length]);
  context.vars.watchlist = watchlist.join(',');
  context.vars.symbol = watchlist[0];
  return next();
}

// Trade until the end of the hold: users arrive through the ramp and all stay to the end.
function keepTrading(context, next) {
  const seconds = Number(context.vars.rampSeconds || 0) + Number(context.vars.holdSeconds || 0);
  return next(Date.now() < LOADED_AT + seconds * 1000);
}

// Open the quote stream in the background (the trading page keeps one open) and go on.
// Metrics: sse.first_event (ms to the snapshot), sse.events, sse.errors.*
function openStream(context, events, next) {
  const started = Date.now();
  const stream = { closing: false, events: 0, request: null };
  context.stream = stream;
  const fail = (why) => {
    if (!stream.closing) {
      stream.closing = true;
      events.emit('counter', `sse.errors.${why}`, 1);
    }
  };
  const url = new URL(`/api/v1/market/stream?symbols=${STREAM_SYMBOLS}`, STREAM_URL);
  stream.request = http.get(url, { agent: false, headers: { Accept: 'text/event-stream' } }, (res) => {
    if (res.statusCode !== 200) {
      fail(`http_${res.statusCode}`);
      res.resume();
      return;
    }
    events.emit('counter', 'sse.opened', 1);
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => {
      buffer += chunk;
      const parts = buffer.split('\n\n');
      buffer = parts.pop();
      for (const part of parts) {
        if (!part.split('\n').some((line) => line.startsWith('data:'))) continue;
        if (stream.events === 0) events.emit('histogram', 'sse.first_event', Date.now() - started);
        stream.events += 1;
        events.emit('counter', 'sse.events', 1);
      }
    });
    res.on('end', () => fail('closed_early'));
    res.on('error', (error) => fail(error.code || 'error'));
  });
  stream.request.on('error', (error) => fail(error.code || 'error'));
  return next();
}

function closeStream(context, events, next) {
  const stream = context.stream;
  if (stream && !stream.closing) {
    stream.closing = true;
    if (stream.events === 0) events.emit('counter', 'sse.errors.no_event', 1);
    else events.emit('counter', 'sse.completed', 1);
    stream.request.destroy();
  }
  return next();
}

module.exports = { pickAccount, withToken, pickSymbols, keepTrading, openStream, closeStream };
