#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 916:
/***/ ((__unused_webpack_module, exports) => {

var __webpack_unused_export__;

__webpack_unused_export__ = true;
exports.Io = exports.kp = void 0;
var peq = new Uint32Array(0x10000);
var myers_32 = function (a, b) {
    var n = a.length;
    var m = b.length;
    var lst = 1 << (n - 1);
    var pv = -1;
    var mv = 0;
    var sc = n;
    var i = n;
    while (i--) {
        peq[a.charCodeAt(i)] |= 1 << i;
    }
    for (i = 0; i < m; i++) {
        var eq = peq[b.charCodeAt(i)];
        var xv = eq | mv;
        eq |= ((eq & pv) + pv) ^ pv;
        mv |= ~(eq | pv);
        pv &= eq;
        if (mv & lst) {
            sc++;
        }
        if (pv & lst) {
            sc--;
        }
        mv = (mv << 1) | 1;
        pv = (pv << 1) | ~(xv | mv);
        mv &= xv;
    }
    i = n;
    while (i--) {
        peq[a.charCodeAt(i)] = 0;
    }
    return sc;
};
var myers_x = function (b, a) {
    var n = a.length;
    var m = b.length;
    var mhc = [];
    var phc = [];
    var hsize = Math.ceil(n / 32);
    var vsize = Math.ceil(m / 32);
    for (var i = 0; i < hsize; i++) {
        phc[i] = -1;
        mhc[i] = 0;
    }
    var j = 0;
    for (; j < vsize - 1; j++) {
        var mv_1 = 0;
        var pv_1 = -1;
        var start_1 = j * 32;
        var vlen_1 = Math.min(32, m) + start_1;
        for (var k = start_1; k < vlen_1; k++) {
            peq[b.charCodeAt(k)] |= 1 << k;
        }
        for (var i = 0; i < n; i++) {
            var eq = peq[a.charCodeAt(i)];
            var pb = (phc[(i / 32) | 0] >>> i) & 1;
            var mb = (mhc[(i / 32) | 0] >>> i) & 1;
            var xv = eq | mv_1;
            var xh = ((((eq | mb) & pv_1) + pv_1) ^ pv_1) | eq | mb;
            var ph = mv_1 | ~(xh | pv_1);
            var mh = pv_1 & xh;
            if ((ph >>> 31) ^ pb) {
                phc[(i / 32) | 0] ^= 1 << i;
            }
            if ((mh >>> 31) ^ mb) {
                mhc[(i / 32) | 0] ^= 1 << i;
            }
            ph = (ph << 1) | pb;
            mh = (mh << 1) | mb;
            pv_1 = mh | ~(xv | ph);
            mv_1 = ph & xv;
        }
        for (var k = start_1; k < vlen_1; k++) {
            peq[b.charCodeAt(k)] = 0;
        }
    }
    var mv = 0;
    var pv = -1;
    var start = j * 32;
    var vlen = Math.min(32, m - start) + start;
    for (var k = start; k < vlen; k++) {
        peq[b.charCodeAt(k)] |= 1 << k;
    }
    var score = m;
    for (var i = 0; i < n; i++) {
        var eq = peq[a.charCodeAt(i)];
        var pb = (phc[(i / 32) | 0] >>> i) & 1;
        var mb = (mhc[(i / 32) | 0] >>> i) & 1;
        var xv = eq | mv;
        var xh = ((((eq | mb) & pv) + pv) ^ pv) | eq | mb;
        var ph = mv | ~(xh | pv);
        var mh = pv & xh;
        score += (ph >>> (m - 1)) & 1;
        score -= (mh >>> (m - 1)) & 1;
        if ((ph >>> 31) ^ pb) {
            phc[(i / 32) | 0] ^= 1 << i;
        }
        if ((mh >>> 31) ^ mb) {
            mhc[(i / 32) | 0] ^= 1 << i;
        }
        ph = (ph << 1) | pb;
        mh = (mh << 1) | mb;
        pv = mh | ~(xv | ph);
        mv = ph & xv;
    }
    for (var k = start; k < vlen; k++) {
        peq[b.charCodeAt(k)] = 0;
    }
    return score;
};
var distance = function (a, b) {
    if (a.length < b.length) {
        var tmp = b;
        b = a;
        a = tmp;
    }
    if (b.length === 0) {
        return a.length;
    }
    if (a.length <= 32) {
        return myers_32(a, b);
    }
    return myers_x(a, b);
};
exports.Io = distance;
var closest = function (str, arr) {
    var min_distance = Infinity;
    var min_index = 0;
    for (var i = 0; i < arr.length; i++) {
        var dist = distance(str, arr[i]);
        if (dist < min_distance) {
            min_distance = dist;
            min_index = i;
        }
    }
    return arr[min_index];
};
exports.kp = closest;


/***/ }),

/***/ 379:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const ANY = Symbol('SemVer ANY')
// hoisted class for cyclic dependency
class Comparator {
  static get ANY () {
    return ANY
  }

  constructor (comp, options) {
    options = parseOptions(options)

    if (comp instanceof Comparator) {
      if (comp.loose === !!options.loose) {
        return comp
      } else {
        comp = comp.value
      }
    }

    comp = comp.trim().split(/\s+/).join(' ')
    debug('comparator', comp, options)
    this.options = options
    this.loose = !!options.loose
    this.parse(comp)

    if (this.semver === ANY) {
      this.value = ''
    } else {
      this.value = this.operator + this.semver.version
    }

    debug('comp', this)
  }

  parse (comp) {
    const r = this.options.loose ? re[t.COMPARATORLOOSE] : re[t.COMPARATOR]
    const m = comp.match(r)

    if (!m) {
      throw new TypeError(`Invalid comparator: ${comp}`)
    }

    this.operator = m[1] !== undefined ? m[1] : ''
    if (this.operator === '=') {
      this.operator = ''
    }

    // if it literally is just '>' or '' then allow anything.
    if (!m[2]) {
      this.semver = ANY
    } else {
      this.semver = new SemVer(m[2], this.options.loose)
    }
  }

  toString () {
    return this.value
  }

  test (version) {
    debug('Comparator.test', version, this.options.loose)

    if (this.semver === ANY || version === ANY) {
      return true
    }

    if (typeof version === 'string') {
      try {
        version = new SemVer(version, this.options)
      } catch (er) {
        return false
      }
    }

    return cmp(version, this.operator, this.semver, this.options)
  }

  intersects (comp, options) {
    if (!(comp instanceof Comparator)) {
      throw new TypeError('a Comparator is required')
    }

    if (this.operator === '') {
      if (this.value === '') {
        return true
      }
      return new Range(comp.value, options).test(this.value)
    } else if (comp.operator === '') {
      if (comp.value === '') {
        return true
      }
      return new Range(this.value, options).test(comp.semver)
    }

    options = parseOptions(options)

    // Special cases where nothing can possibly be lower
    if (options.includePrerelease &&
      (this.value === '<0.0.0-0' || comp.value === '<0.0.0-0')) {
      return false
    }
    if (!options.includePrerelease &&
      (this.value.startsWith('<0.0.0') || comp.value.startsWith('<0.0.0'))) {
      return false
    }

    // Same direction increasing (> or >=)
    if (this.operator.startsWith('>') && comp.operator.startsWith('>')) {
      return true
    }
    // Same direction decreasing (< or <=)
    if (this.operator.startsWith('<') && comp.operator.startsWith('<')) {
      return true
    }
    // same SemVer and both sides are inclusive (<= or >=)
    if (
      (this.semver.version === comp.semver.version) &&
      this.operator.includes('=') && comp.operator.includes('=')) {
      return true
    }
    // opposite directions less than
    if (cmp(this.semver, '<', comp.semver, options) &&
      this.operator.startsWith('>') && comp.operator.startsWith('<')) {
      return true
    }
    // opposite directions greater than
    if (cmp(this.semver, '>', comp.semver, options) &&
      this.operator.startsWith('<') && comp.operator.startsWith('>')) {
      return true
    }
    return false
  }
}

module.exports = Comparator

const parseOptions = __nccwpck_require__(356)
const { safeRe: re, t } = __nccwpck_require__(471)
const cmp = __nccwpck_require__(646)
const debug = __nccwpck_require__(159)
const SemVer = __nccwpck_require__(163)
const Range = __nccwpck_require__(782)


/***/ }),

/***/ 782:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const SPACE_CHARACTERS = /\s+/g

// hoisted class for cyclic dependency
class Range {
  constructor (range, options) {
    options = parseOptions(options)

    if (range instanceof Range) {
      if (
        range.loose === !!options.loose &&
        range.includePrerelease === !!options.includePrerelease
      ) {
        return range
      } else {
        return new Range(range.raw, options)
      }
    }

    if (range instanceof Comparator) {
      // just put it in the set and return
      this.raw = range.value
      this.set = [[range]]
      this.formatted = undefined
      return this
    }

    this.options = options
    this.loose = !!options.loose
    this.includePrerelease = !!options.includePrerelease

    // First reduce all whitespace as much as possible so we do not have to rely
    // on potentially slow regexes like \s*. This is then stored and used for
    // future error messages as well.
    this.raw = range.trim().replace(SPACE_CHARACTERS, ' ')

    // First, split on ||
    this.set = this.raw
      .split('||')
      // map the range to a 2d array of comparators
      .map(r => this.parseRange(r.trim()))
      // throw out any comparator lists that are empty
      // this generally means that it was not a valid range, which is allowed
      // in loose mode, but will still throw if the WHOLE range is invalid.
      .filter(c => c.length)

    if (!this.set.length) {
      throw new TypeError(`Invalid SemVer Range: ${this.raw}`)
    }

    // if we have any that are not the null set, throw out null sets.
    if (this.set.length > 1) {
      // keep the first one, in case they're all null sets
      const first = this.set[0]
      this.set = this.set.filter(c => !isNullSet(c[0]))
      if (this.set.length === 0) {
        this.set = [first]
      } else if (this.set.length > 1) {
        // if we have any that are *, then the range is just *
        for (const c of this.set) {
          if (c.length === 1 && isAny(c[0])) {
            this.set = [c]
            break
          }
        }
      }
    }

    this.formatted = undefined
  }

  get range () {
    if (this.formatted === undefined) {
      this.formatted = ''
      for (let i = 0; i < this.set.length; i++) {
        if (i > 0) {
          this.formatted += '||'
        }
        const comps = this.set[i]
        for (let k = 0; k < comps.length; k++) {
          if (k > 0) {
            this.formatted += ' '
          }
          this.formatted += comps[k].toString().trim()
        }
      }
    }
    return this.formatted
  }

  format () {
    return this.range
  }

  toString () {
    return this.range
  }

  parseRange (range) {
    // strip build metadata so it can't bleed into the version
    range = range.replace(BUILDSTRIPRE, '')

    // memoize range parsing for performance.
    // this is a very hot path, and fully deterministic.
    const memoOpts =
      (this.options.includePrerelease && FLAG_INCLUDE_PRERELEASE) |
      (this.options.loose && FLAG_LOOSE)
    const memoKey = memoOpts + ':' + range
    const cached = cache.get(memoKey)
    if (cached) {
      return cached
    }

    const loose = this.options.loose
    // `1.2.3 - 1.2.4` => `>=1.2.3 <=1.2.4`
    const hr = loose ? re[t.HYPHENRANGELOOSE] : re[t.HYPHENRANGE]
    range = range.replace(hr, hyphenReplace(this.options.includePrerelease))
    debug('hyphen replace', range)

    // `> 1.2.3 < 1.2.5` => `>1.2.3 <1.2.5`
    range = trimComparatorWhitespace(range)
    debug('comparator trim', range)

    // `~ 1.2.3` => `~1.2.3`
    range = range.replace(re[t.TILDETRIM], tildeTrimReplace)
    debug('tilde trim', range)

    // `^ 1.2.3` => `^1.2.3`
    range = range.replace(re[t.CARETTRIM], caretTrimReplace)
    debug('caret trim', range)

    // At this point, the range is completely trimmed and
    // ready to be split into comparators.

    let rangeList = range
      .split(' ')
      .map(comp => parseComparator(comp, this.options))
      .join(' ')
      .split(/\s+/)
      // >=0.0.0 is equivalent to *
      .map(comp => replaceGTE0(comp, this.options))

    if (loose) {
      // in loose mode, throw out any that are not valid comparators
      rangeList = rangeList.filter(comp => {
        debug('loose invalid filter', comp, this.options)
        return !!comp.match(re[t.COMPARATORLOOSE])
      })
    }
    debug('range list', rangeList)

    // if any comparators are the null set, then replace with JUST null set
    // if more than one comparator, remove any * comparators
    // also, don't include the same comparator more than once
    const rangeMap = new Map()
    const comparators = rangeList.map(comp => new Comparator(comp, this.options))
    for (const comp of comparators) {
      if (isNullSet(comp)) {
        return [comp]
      }
      rangeMap.set(comp.value, comp)
    }
    if (rangeMap.size > 1 && rangeMap.has('')) {
      rangeMap.delete('')
    }

    const result = [...rangeMap.values()]
    cache.set(memoKey, result)
    return result
  }

  intersects (range, options) {
    if (!(range instanceof Range)) {
      throw new TypeError('a Range is required')
    }

    return this.set.some((thisComparators) => {
      return (
        isSatisfiable(thisComparators, options) &&
        range.set.some((rangeComparators) => {
          return (
            isSatisfiable(rangeComparators, options) &&
            thisComparators.every((thisComparator) => {
              return rangeComparators.every((rangeComparator) => {
                return thisComparator.intersects(rangeComparator, options)
              })
            })
          )
        })
      )
    })
  }

  // if ANY of the sets match ALL of its comparators, then pass
  test (version) {
    if (!version) {
      return false
    }

    if (typeof version === 'string') {
      try {
        version = new SemVer(version, this.options)
      } catch (er) {
        return false
      }
    }

    for (let i = 0; i < this.set.length; i++) {
      if (testSet(this.set[i], version, this.options)) {
        return true
      }
    }
    return false
  }
}

module.exports = Range

const LRU = __nccwpck_require__(383)
const cache = new LRU()

const parseOptions = __nccwpck_require__(356)
const Comparator = __nccwpck_require__(379)
const debug = __nccwpck_require__(159)
const SemVer = __nccwpck_require__(163)
const trimComparatorWhitespace = __nccwpck_require__(737)
const {
  safeRe: re,
  src,
  t,
  tildeTrimReplace,
  caretTrimReplace,
} = __nccwpck_require__(471)
const { FLAG_INCLUDE_PRERELEASE, FLAG_LOOSE } = __nccwpck_require__(101)

// unbounded global build-metadata stripper used by parseRange
const BUILDSTRIPRE = new RegExp(src[t.BUILD], 'g')

const isNullSet = c => c.value === '<0.0.0-0'
const isAny = c => c.value === ''

// take a set of comparators and determine whether there
// exists a version which can satisfy it
const isSatisfiable = (comparators, options) => {
  let result = true
  const remainingComparators = comparators.slice()
  let testComparator = remainingComparators.pop()

  while (result && remainingComparators.length) {
    result = remainingComparators.every((otherComparator) => {
      return testComparator.intersects(otherComparator, options)
    })

    testComparator = remainingComparators.pop()
  }

  return result
}

// comprised of xranges, tildes, stars, and gtlt's at this point.
// already replaced the hyphen ranges
// turn into a set of JUST comparators.
const parseComparator = (comp, options) => {
  comp = comp.replace(re[t.BUILD], '')
  debug('comp', comp, options)
  comp = replaceCarets(comp, options)
  debug('caret', comp)
  comp = replaceTildes(comp, options)
  debug('tildes', comp)
  comp = replaceXRanges(comp, options)
  debug('xrange', comp)
  comp = replaceStars(comp, options)
  debug('stars', comp)
  return comp
}

const isX = id => !id || id.toLowerCase() === 'x' || id === '*'

const invalidXRangeOrder = (M, m, p) => (
  (isX(M) && !isX(m)) ||
  (isX(m) && p && !isX(p))
)

// ~, ~> --> * (any, kinda silly)
// ~2, ~2.x, ~2.x.x, ~>2, ~>2.x ~>2.x.x --> >=2.0.0 <3.0.0-0
// ~2.0, ~2.0.x, ~>2.0, ~>2.0.x --> >=2.0.0 <2.1.0-0
// ~1.2, ~1.2.x, ~>1.2, ~>1.2.x --> >=1.2.0 <1.3.0-0
// ~1.2.3, ~>1.2.3 --> >=1.2.3 <1.3.0-0
// ~1.2.0, ~>1.2.0 --> >=1.2.0 <1.3.0-0
// ~0.0.1 --> >=0.0.1 <0.1.0-0
const replaceTildes = (comp, options) => {
  return comp
    .trim()
    .split(/\s+/)
    .map((c) => replaceTilde(c, options))
    .join(' ')
}

const replaceTilde = (comp, options) => {
  const r = options.loose ? re[t.TILDELOOSE] : re[t.TILDE]
  // if we're including prereleases in the match, then the lower bound is
  // -0, the lowest possible prerelease value, just like x-ranges and carets.
  // this keeps `~1.2` equivalent to the `1.2.x` x-range it's documented as.
  const z = options.includePrerelease ? '-0' : ''
  return comp.replace(r, (_, M, m, p, pr) => {
    debug('tilde', comp, _, M, m, p, pr)
    let ret

    if (isX(M)) {
      ret = ''
    } else if (isX(m)) {
      ret = `>=${M}.0.0${z} <${+M + 1}.0.0-0`
    } else if (isX(p)) {
      // ~1.2 == >=1.2.0 <1.3.0-0
      ret = `>=${M}.${m}.0${z} <${M}.${+m + 1}.0-0`
    } else if (pr) {
      debug('replaceTilde pr', pr)
      ret = `>=${M}.${m}.${p}-${pr
      } <${M}.${+m + 1}.0-0`
    } else {
      // ~1.2.3 == >=1.2.3 <1.3.0-0
      ret = `>=${M}.${m}.${p
      } <${M}.${+m + 1}.0-0`
    }

    debug('tilde return', ret)
    return ret
  })
}

// ^ --> * (any, kinda silly)
// ^2, ^2.x, ^2.x.x --> >=2.0.0 <3.0.0-0
// ^2.0, ^2.0.x --> >=2.0.0 <3.0.0-0
// ^1.2, ^1.2.x --> >=1.2.0 <2.0.0-0
// ^1.2.3 --> >=1.2.3 <2.0.0-0
// ^1.2.0 --> >=1.2.0 <2.0.0-0
// ^0.0.1 --> >=0.0.1 <0.0.2-0
// ^0.1.0 --> >=0.1.0 <0.2.0-0
const replaceCarets = (comp, options) => {
  return comp
    .trim()
    .split(/\s+/)
    .map((c) => replaceCaret(c, options))
    .join(' ')
}

const replaceCaret = (comp, options) => {
  debug('caret', comp, options)
  const r = options.loose ? re[t.CARETLOOSE] : re[t.CARET]
  const z = options.includePrerelease ? '-0' : ''
  return comp.replace(r, (_, M, m, p, pr) => {
    debug('caret', comp, _, M, m, p, pr)
    let ret

    if (isX(M)) {
      ret = ''
    } else if (isX(m)) {
      ret = `>=${M}.0.0${z} <${+M + 1}.0.0-0`
    } else if (isX(p)) {
      if (M === '0') {
        ret = `>=${M}.${m}.0${z} <${M}.${+m + 1}.0-0`
      } else {
        ret = `>=${M}.${m}.0${z} <${+M + 1}.0.0-0`
      }
    } else if (pr) {
      debug('replaceCaret pr', pr)
      if (M === '0') {
        if (m === '0') {
          ret = `>=${M}.${m}.${p}-${pr
          } <${M}.${m}.${+p + 1}-0`
        } else {
          ret = `>=${M}.${m}.${p}-${pr
          } <${M}.${+m + 1}.0-0`
        }
      } else {
        ret = `>=${M}.${m}.${p}-${pr
        } <${+M + 1}.0.0-0`
      }
    } else {
      debug('no pr')
      if (M === '0') {
        if (m === '0') {
          ret = `>=${M}.${m}.${p
          } <${M}.${m}.${+p + 1}-0`
        } else {
          ret = `>=${M}.${m}.${p
          } <${M}.${+m + 1}.0-0`
        }
      } else {
        ret = `>=${M}.${m}.${p
        } <${+M + 1}.0.0-0`
      }
    }

    debug('caret return', ret)
    return ret
  })
}

const replaceXRanges = (comp, options) => {
  debug('replaceXRanges', comp, options)
  return comp
    .split(/\s+/)
    .map((c) => replaceXRange(c, options))
    .join(' ')
}

const replaceXRange = (comp, options) => {
  comp = comp.trim()
  const r = options.loose ? re[t.XRANGELOOSE] : re[t.XRANGE]
  return comp.replace(r, (ret, gtlt, M, m, p, pr) => {
    debug('xRange', comp, ret, gtlt, M, m, p, pr)
    if (invalidXRangeOrder(M, m, p)) {
      return comp
    }

    const xM = isX(M)
    const xm = xM || isX(m)
    const xp = xm || isX(p)
    const anyX = xp

    if (gtlt === '=' && anyX) {
      gtlt = ''
    }

    // if we're including prereleases in the match, then we need
    // to fix this to -0, the lowest possible prerelease value
    pr = options.includePrerelease ? '-0' : ''

    if (xM) {
      if (gtlt === '>' || gtlt === '<') {
        // nothing is allowed
        ret = '<0.0.0-0'
      } else {
        // nothing is forbidden
        ret = '*'
      }
    } else if (gtlt && anyX) {
      // we know patch is an x, because we have any x at all.
      // replace X with 0
      if (xm) {
        m = 0
      }
      p = 0

      if (gtlt === '>') {
        // >1 => >=2.0.0
        // >1.2 => >=1.3.0
        gtlt = '>='
        if (xm) {
          M = +M + 1
          m = 0
          p = 0
        } else {
          m = +m + 1
          p = 0
        }
      } else if (gtlt === '<=') {
        // <=0.7.x is actually <0.8.0, since any 0.7.x should
        // pass.  Similarly, <=7.x is actually <8.0.0, etc.
        gtlt = '<'
        if (xm) {
          M = +M + 1
        } else {
          m = +m + 1
        }
      }

      if (gtlt === '<') {
        pr = '-0'
      }

      ret = `${gtlt + M}.${m}.${p}${pr}`
    } else if (xm) {
      ret = `>=${M}.0.0${pr} <${+M + 1}.0.0-0`
    } else if (xp) {
      ret = `>=${M}.${m}.0${pr
      } <${M}.${+m + 1}.0-0`
    }

    debug('xRange return', ret)

    return ret
  })
}

// Because * is AND-ed with everything else in the comparator,
// and '' means "any version", just remove the *s entirely.
const replaceStars = (comp, options) => {
  debug('replaceStars', comp, options)
  // Looseness is ignored here.  star is always as loose as it gets!
  return comp
    .trim()
    .replace(re[t.STAR], '')
}

const replaceGTE0 = (comp, options) => {
  debug('replaceGTE0', comp, options)
  return comp
    .trim()
    .replace(re[options.includePrerelease ? t.GTE0PRE : t.GTE0], '')
}

// This function is passed to string.replace(re[t.HYPHENRANGE])
// M, m, patch, prerelease, build
// 1.2 - 3.4.5 => >=1.2.0 <=3.4.5
// 1.2.3 - 3.4 => >=1.2.0 <3.5.0-0 Any 3.4.x will do
// 1.2 - 3.4 => >=1.2.0 <3.5.0-0
// TODO build?
const hyphenReplace = incPr => ($0,
  from, fM, fm, fp, fpr, fb,
  to, tM, tm, tp, tpr) => {
  if (isX(fM)) {
    from = ''
  } else if (isX(fm)) {
    from = `>=${fM}.0.0${incPr ? '-0' : ''}`
  } else if (isX(fp)) {
    from = `>=${fM}.${fm}.0${incPr ? '-0' : ''}`
  } else if (fpr) {
    from = `>=${from}`
  } else {
    from = `>=${from}${incPr ? '-0' : ''}`
  }

  if (isX(tM)) {
    to = ''
  } else if (isX(tm)) {
    to = `<${+tM + 1}.0.0-0`
  } else if (isX(tp)) {
    to = `<${tM}.${+tm + 1}.0-0`
  } else if (tpr) {
    to = `<=${tM}.${tm}.${tp}-${tpr}`
  } else if (incPr) {
    to = `<${tM}.${tm}.${+tp + 1}-0`
  } else {
    to = `<=${to}`
  }

  return `${from} ${to}`.trim()
}

const testSet = (set, version, options) => {
  for (let i = 0; i < set.length; i++) {
    if (!set[i].test(version)) {
      return false
    }
  }

  if (version.prerelease.length && !options.includePrerelease) {
    // Find the set of versions that are allowed to have prereleases
    // For example, ^1.2.3-pr.1 desugars to >=1.2.3-pr.1 <2.0.0
    // That should allow `1.2.3-pr.2` to pass.
    // However, `1.2.4-alpha.notready` should NOT be allowed,
    // even though it's within the range set by the comparators.
    for (let i = 0; i < set.length; i++) {
      debug(set[i].semver)
      if (set[i].semver === Comparator.ANY) {
        continue
      }

      if (set[i].semver.prerelease.length > 0) {
        const allowed = set[i].semver
        if (allowed.major === version.major &&
            allowed.minor === version.minor &&
            allowed.patch === version.patch) {
          return true
        }
      }
    }

    // Version has a -pre, but it's not one of the ones we like.
    return false
  }

  return true
}


/***/ }),

/***/ 163:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const debug = __nccwpck_require__(159)
const { MAX_LENGTH, MAX_SAFE_INTEGER } = __nccwpck_require__(101)
const { safeRe: re, t } = __nccwpck_require__(471)

const parseOptions = __nccwpck_require__(356)
const { compareIdentifiers } = __nccwpck_require__(348)

const isPrereleaseIdentifier = (prerelease, identifier) => {
  const identifiers = identifier.split('.')
  if (identifiers.length > prerelease.length) {
    return false
  }

  for (let i = 0; i < identifiers.length; i++) {
    if (compareIdentifiers(prerelease[i], identifiers[i]) !== 0) {
      return false
    }
  }

  return true
}

class SemVer {
  constructor (version, options) {
    options = parseOptions(options)

    if (version instanceof SemVer) {
      if (version.loose === !!options.loose &&
        version.includePrerelease === !!options.includePrerelease) {
        return version
      } else {
        version = version.version
      }
    } else if (typeof version !== 'string') {
      throw new TypeError(`Invalid version. Must be a string. Got type "${typeof version}".`)
    }

    if (version.length > MAX_LENGTH) {
      throw new TypeError(
        `version is longer than ${MAX_LENGTH} characters`
      )
    }

    debug('SemVer', version, options)
    this.options = options
    this.loose = !!options.loose
    // this isn't actually relevant for versions, but keep it so that we
    // don't run into trouble passing this.options around.
    this.includePrerelease = !!options.includePrerelease

    const m = version.trim().match(options.loose ? re[t.LOOSE] : re[t.FULL])

    if (!m) {
      throw new TypeError(`Invalid Version: ${version}`)
    }

    this.raw = version

    // these are actually numbers
    this.major = +m[1]
    this.minor = +m[2]
    this.patch = +m[3]

    if (this.major > MAX_SAFE_INTEGER || this.major < 0) {
      throw new TypeError('Invalid major version')
    }

    if (this.minor > MAX_SAFE_INTEGER || this.minor < 0) {
      throw new TypeError('Invalid minor version')
    }

    if (this.patch > MAX_SAFE_INTEGER || this.patch < 0) {
      throw new TypeError('Invalid patch version')
    }

    // numberify any prerelease numeric ids
    if (!m[4]) {
      this.prerelease = []
    } else {
      this.prerelease = m[4].split('.').map((id) => {
        if (/^[0-9]+$/.test(id)) {
          const num = +id
          if (num >= 0 && num < MAX_SAFE_INTEGER) {
            return num
          }
        }
        return id
      })
    }

    this.build = m[5] ? m[5].split('.') : []
    this.format()
  }

  format () {
    this.version = `${this.major}.${this.minor}.${this.patch}`
    if (this.prerelease.length) {
      this.version += `-${this.prerelease.join('.')}`
    }
    return this.version
  }

  toString () {
    return this.version
  }

  compare (other) {
    debug('SemVer.compare', this.version, this.options, other)
    if (!(other instanceof SemVer)) {
      if (typeof other === 'string' && other === this.version) {
        return 0
      }
      other = new SemVer(other, this.options)
    }

    if (other.version === this.version) {
      return 0
    }

    return this.compareMain(other) || this.comparePre(other)
  }

  compareMain (other) {
    if (!(other instanceof SemVer)) {
      other = new SemVer(other, this.options)
    }

    if (this.major < other.major) {
      return -1
    }
    if (this.major > other.major) {
      return 1
    }
    if (this.minor < other.minor) {
      return -1
    }
    if (this.minor > other.minor) {
      return 1
    }
    if (this.patch < other.patch) {
      return -1
    }
    if (this.patch > other.patch) {
      return 1
    }
    return 0
  }

  comparePre (other) {
    if (!(other instanceof SemVer)) {
      other = new SemVer(other, this.options)
    }

    // NOT having a prerelease is > having one
    if (this.prerelease.length && !other.prerelease.length) {
      return -1
    } else if (!this.prerelease.length && other.prerelease.length) {
      return 1
    } else if (!this.prerelease.length && !other.prerelease.length) {
      return 0
    }

    let i = 0
    do {
      const a = this.prerelease[i]
      const b = other.prerelease[i]
      debug('prerelease compare', i, a, b)
      if (a === undefined && b === undefined) {
        return 0
      } else if (b === undefined) {
        return 1
      } else if (a === undefined) {
        return -1
      } else if (a === b) {
        continue
      } else {
        return compareIdentifiers(a, b)
      }
    } while (++i)
  }

  compareBuild (other) {
    if (!(other instanceof SemVer)) {
      other = new SemVer(other, this.options)
    }

    let i = 0
    do {
      const a = this.build[i]
      const b = other.build[i]
      debug('build compare', i, a, b)
      if (a === undefined && b === undefined) {
        return 0
      } else if (b === undefined) {
        return 1
      } else if (a === undefined) {
        return -1
      } else if (a === b) {
        continue
      } else {
        return compareIdentifiers(a, b)
      }
    } while (++i)
  }

  // preminor will bump the version up to the next minor release, and immediately
  // down to pre-release. premajor and prepatch work the same way.
  inc (release, identifier, identifierBase) {
    if (release.startsWith('pre')) {
      if (!identifier && identifierBase === false) {
        throw new Error('invalid increment argument: identifier is empty')
      }
      // Avoid an invalid semver results
      if (identifier) {
        const match = `-${identifier}`.match(this.options.loose ? re[t.PRERELEASELOOSE] : re[t.PRERELEASE])
        if (!match || match[1] !== identifier) {
          throw new Error(`invalid identifier: ${identifier}`)
        }
      }
    }

    switch (release) {
      case 'premajor':
        this.prerelease.length = 0
        this.patch = 0
        this.minor = 0
        this.major++
        this.inc('pre', identifier, identifierBase)
        break
      case 'preminor':
        this.prerelease.length = 0
        this.patch = 0
        this.minor++
        this.inc('pre', identifier, identifierBase)
        break
      case 'prepatch':
        // If this is already a prerelease, it will bump to the next version
        // drop any prereleases that might already exist, since they are not
        // relevant at this point.
        this.prerelease.length = 0
        this.inc('patch', identifier, identifierBase)
        this.inc('pre', identifier, identifierBase)
        break
      // If the input is a non-prerelease version, this acts the same as
      // prepatch.
      case 'prerelease':
        if (this.prerelease.length === 0) {
          this.inc('patch', identifier, identifierBase)
        }
        this.inc('pre', identifier, identifierBase)
        break
      case 'release':
        if (this.prerelease.length === 0) {
          throw new Error(`version ${this.raw} is not a prerelease`)
        }
        this.prerelease.length = 0
        break

      case 'major':
        // If this is a pre-major version, bump up to the same major version.
        // Otherwise increment major.
        // 1.0.0-5 bumps to 1.0.0
        // 1.1.0 bumps to 2.0.0
        if (
          this.minor !== 0 ||
          this.patch !== 0 ||
          this.prerelease.length === 0
        ) {
          this.major++
        }
        this.minor = 0
        this.patch = 0
        this.prerelease = []
        break
      case 'minor':
        // If this is a pre-minor version, bump up to the same minor version.
        // Otherwise increment minor.
        // 1.2.0-5 bumps to 1.2.0
        // 1.2.1 bumps to 1.3.0
        if (this.patch !== 0 || this.prerelease.length === 0) {
          this.minor++
        }
        this.patch = 0
        this.prerelease = []
        break
      case 'patch':
        // If this is not a pre-release version, it will increment the patch.
        // If it is a pre-release it will bump up to the same patch version.
        // 1.2.0-5 patches to 1.2.0
        // 1.2.0 patches to 1.2.1
        if (this.prerelease.length === 0) {
          this.patch++
        }
        this.prerelease = []
        break
      // This probably shouldn't be used publicly.
      // 1.0.0 'pre' would become 1.0.0-0 which is the wrong direction.
      case 'pre': {
        const base = Number(identifierBase) ? 1 : 0

        if (this.prerelease.length === 0) {
          this.prerelease = [base]
        } else {
          let i = this.prerelease.length
          while (--i >= 0) {
            if (typeof this.prerelease[i] === 'number') {
              this.prerelease[i]++
              i = -2
            }
          }
          if (i === -1) {
            // didn't increment anything
            if (identifier === this.prerelease.join('.') && identifierBase === false) {
              throw new Error('invalid increment argument: identifier already exists')
            }
            this.prerelease.push(base)
          }
        }
        if (identifier) {
          // 1.2.0-beta.1 bumps to 1.2.0-beta.2,
          // 1.2.0-beta.fooblz or 1.2.0-beta bumps to 1.2.0-beta.0
          let prerelease = [identifier, base]
          if (identifierBase === false) {
            prerelease = [identifier]
          }
          if (isPrereleaseIdentifier(this.prerelease, identifier)) {
            const prereleaseBase = this.prerelease[identifier.split('.').length]
            if (isNaN(prereleaseBase)) {
              this.prerelease = prerelease
            }
          } else {
            this.prerelease = prerelease
          }
        }
        break
      }
      default:
        throw new Error(`invalid increment argument: ${release}`)
    }
    this.raw = this.format()
    if (this.build.length) {
      this.raw += `+${this.build.join('.')}`
    }
    return this
  }
}

module.exports = SemVer


/***/ }),

/***/ 799:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const parse = __nccwpck_require__(353)
const clean = (version, options) => {
  const s = parse(version.trim().replace(/^[=v]+/, ''), options)
  return s ? s.version : null
}
module.exports = clean


/***/ }),

/***/ 646:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const eq = __nccwpck_require__(82)
const neq = __nccwpck_require__(974)
const gt = __nccwpck_require__(599)
const gte = __nccwpck_require__(236)
const lt = __nccwpck_require__(491)
const lte = __nccwpck_require__(717)

const cmp = (a, op, b, loose) => {
  switch (op) {
    case '===':
      if (typeof a === 'object') {
        a = a.version
      }
      if (typeof b === 'object') {
        b = b.version
      }
      return a === b

    case '!==':
      if (typeof a === 'object') {
        a = a.version
      }
      if (typeof b === 'object') {
        b = b.version
      }
      return a !== b

    case '':
    case '=':
    case '==':
      return eq(a, b, loose)

    case '!=':
      return neq(a, b, loose)

    case '>':
      return gt(a, b, loose)

    case '>=':
      return gte(a, b, loose)

    case '<':
      return lt(a, b, loose)

    case '<=':
      return lte(a, b, loose)

    default:
      throw new TypeError(`Invalid operator: ${op}`)
  }
}
module.exports = cmp


/***/ }),

/***/ 385:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const SemVer = __nccwpck_require__(163)
const parse = __nccwpck_require__(353)
const { safeRe: re, t } = __nccwpck_require__(471)

const coerce = (version, options) => {
  if (version instanceof SemVer) {
    return version
  }

  if (typeof version === 'number') {
    version = String(version)
  }

  if (typeof version !== 'string') {
    return null
  }

  options = options || {}

  let match = null
  if (!options.rtl) {
    match = version.match(options.includePrerelease ? re[t.COERCEFULL] : re[t.COERCE])
  } else {
    // Find the right-most coercible string that does not share
    // a terminus with a more left-ward coercible string.
    // Eg, '1.2.3.4' wants to coerce '2.3.4', not '3.4' or '4'
    // With includePrerelease option set, '1.2.3.4-rc' wants to coerce '2.3.4-rc', not '2.3.4'
    //
    // Walk through the string checking with a /g regexp
    // Manually set the index so as to pick up overlapping matches.
    // Stop when we get a match that ends at the string end, since no
    // coercible string can be more right-ward without the same terminus.
    const coerceRtlRegex = options.includePrerelease ? re[t.COERCERTLFULL] : re[t.COERCERTL]
    let next
    while ((next = coerceRtlRegex.exec(version)) &&
        (!match || match.index + match[0].length !== version.length)
    ) {
      if (!match ||
            next.index + next[0].length !== match.index + match[0].length) {
        match = next
      }
      coerceRtlRegex.lastIndex = next.index + next[1].length + next[2].length
    }
    // leave it in a clean state
    coerceRtlRegex.lastIndex = -1
  }

  if (match === null) {
    return null
  }

  const major = match[2]
  const minor = match[3] || '0'
  const patch = match[4] || '0'
  const prerelease = options.includePrerelease && match[5] ? `-${match[5]}` : ''
  const build = options.includePrerelease && match[6] ? `+${match[6]}` : ''

  return parse(`${major}.${minor}.${patch}${prerelease}${build}`, options)
}
module.exports = coerce


/***/ }),

/***/ 648:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const SemVer = __nccwpck_require__(163)
const compareBuild = (a, b, loose) => {
  const versionA = new SemVer(a, loose)
  const versionB = new SemVer(b, loose)
  return versionA.compare(versionB) || versionA.compareBuild(versionB)
}
module.exports = compareBuild


/***/ }),

/***/ 874:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const compare = __nccwpck_require__(469)
const compareLoose = (a, b) => compare(a, b, true)
module.exports = compareLoose


/***/ }),

/***/ 469:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const SemVer = __nccwpck_require__(163)
const compare = (a, b, loose) =>
  new SemVer(a, loose).compare(new SemVer(b, loose))

module.exports = compare


/***/ }),

/***/ 711:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const parse = __nccwpck_require__(353)

const diff = (version1, version2) => {
  const v1 = parse(version1, null, true)
  const v2 = parse(version2, null, true)
  const comparison = v1.compare(v2)

  if (comparison === 0) {
    return null
  }

  const v1Higher = comparison > 0
  const highVersion = v1Higher ? v1 : v2
  const lowVersion = v1Higher ? v2 : v1
  const highHasPre = !!highVersion.prerelease.length
  const lowHasPre = !!lowVersion.prerelease.length

  if (lowHasPre && !highHasPre) {
    // Going from prerelease -> no prerelease requires some special casing

    // If the low version has only a major, then it will always be a major
    // Some examples:
    // 1.0.0-1 -> 1.0.0
    // 1.0.0-1 -> 1.1.1
    // 1.0.0-1 -> 2.0.0
    if (!lowVersion.patch && !lowVersion.minor) {
      return 'major'
    }

    // If the main part has no difference
    if (lowVersion.compareMain(highVersion) === 0) {
      if (lowVersion.minor && !lowVersion.patch) {
        return 'minor'
      }
      return 'patch'
    }
  }

  // add the `pre` prefix if we are going to a prerelease version
  const prefix = highHasPre ? 'pre' : ''

  if (v1.major !== v2.major) {
    return prefix + 'major'
  }

  if (v1.minor !== v2.minor) {
    return prefix + 'minor'
  }

  if (v1.patch !== v2.patch) {
    return prefix + 'patch'
  }

  // high and low are prereleases
  return 'prerelease'
}

module.exports = diff


/***/ }),

/***/ 82:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const compare = __nccwpck_require__(469)
const eq = (a, b, loose) => compare(a, b, loose) === 0
module.exports = eq


/***/ }),

/***/ 599:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const compare = __nccwpck_require__(469)
const gt = (a, b, loose) => compare(a, b, loose) > 0
module.exports = gt


/***/ }),

/***/ 236:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const compare = __nccwpck_require__(469)
const gte = (a, b, loose) => compare(a, b, loose) >= 0
module.exports = gte


/***/ }),

/***/ 338:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const SemVer = __nccwpck_require__(163)

const inc = (version, release, options, identifier, identifierBase) => {
  if (typeof (options) === 'string') {
    identifierBase = identifier
    identifier = options
    options = undefined
  }

  try {
    return new SemVer(
      version instanceof SemVer ? version.version : version,
      options
    ).inc(release, identifier, identifierBase).version
  } catch (er) {
    return null
  }
}
module.exports = inc


/***/ }),

/***/ 491:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const compare = __nccwpck_require__(469)
const lt = (a, b, loose) => compare(a, b, loose) < 0
module.exports = lt


/***/ }),

/***/ 717:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const compare = __nccwpck_require__(469)
const lte = (a, b, loose) => compare(a, b, loose) <= 0
module.exports = lte


/***/ }),

/***/ 511:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const SemVer = __nccwpck_require__(163)
const major = (a, loose) => new SemVer(a, loose).major
module.exports = major


/***/ }),

/***/ 603:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const SemVer = __nccwpck_require__(163)
const minor = (a, loose) => new SemVer(a, loose).minor
module.exports = minor


/***/ }),

/***/ 974:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const compare = __nccwpck_require__(469)
const neq = (a, b, loose) => compare(a, b, loose) !== 0
module.exports = neq


/***/ }),

/***/ 353:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const SemVer = __nccwpck_require__(163)
const parse = (version, options, throwErrors = false) => {
  if (version instanceof SemVer) {
    return version
  }
  try {
    return new SemVer(version, options)
  } catch (er) {
    if (!throwErrors) {
      return null
    }
    throw er
  }
}

module.exports = parse


/***/ }),

/***/ 756:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const SemVer = __nccwpck_require__(163)
const patch = (a, loose) => new SemVer(a, loose).patch
module.exports = patch


/***/ }),

/***/ 714:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const parse = __nccwpck_require__(353)
const prerelease = (version, options) => {
  const parsed = parse(version, options)
  return (parsed && parsed.prerelease.length) ? parsed.prerelease : null
}
module.exports = prerelease


/***/ }),

/***/ 173:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const compare = __nccwpck_require__(469)
const rcompare = (a, b, loose) => compare(b, a, loose)
module.exports = rcompare


/***/ }),

/***/ 192:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const compareBuild = __nccwpck_require__(648)
const rsort = (list, loose) => list.sort((a, b) => compareBuild(b, a, loose))
module.exports = rsort


/***/ }),

/***/ 11:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const Range = __nccwpck_require__(782)
const satisfies = (version, range, options) => {
  try {
    range = new Range(range, options)
  } catch (er) {
    return false
  }
  return range.test(version)
}
module.exports = satisfies


/***/ }),

/***/ 872:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const compareBuild = __nccwpck_require__(648)
const sort = (list, loose) => list.sort((a, b) => compareBuild(a, b, loose))
module.exports = sort


/***/ }),

/***/ 114:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const parse = __nccwpck_require__(353)
const constants = __nccwpck_require__(101)
const SemVer = __nccwpck_require__(163)

const truncate = (version, truncation, options) => {
  if (!constants.RELEASE_TYPES.includes(truncation)) {
    return null
  }

  const clonedVersion = cloneInputVersion(version, options)
  return clonedVersion && doTruncation(clonedVersion, truncation)
}

const cloneInputVersion = (version, options) => {
  const versionStringToParse = (
    version instanceof SemVer ? version.version : version
  )

  return parse(versionStringToParse, options)
}

const doTruncation = (version, truncation) => {
  if (isPrerelease(truncation)) {
    return version.version
  }

  version.prerelease = []

  switch (truncation) {
    case 'major':
      version.minor = 0
      version.patch = 0
      break
    case 'minor':
      version.patch = 0
      break
  }

  return version.format()
}

const isPrerelease = (type) => {
  return type.startsWith('pre')
}

module.exports = truncate


/***/ }),

/***/ 780:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const parse = __nccwpck_require__(353)
const valid = (version, options) => {
  const v = parse(version, options)
  return v ? v.version : null
}
module.exports = valid


/***/ }),

/***/ 88:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



// just pre-load all the stuff that index.js lazily exports
const internalRe = __nccwpck_require__(471)
const constants = __nccwpck_require__(101)
const SemVer = __nccwpck_require__(163)
const identifiers = __nccwpck_require__(348)
const parse = __nccwpck_require__(353)
const valid = __nccwpck_require__(780)
const clean = __nccwpck_require__(799)
const inc = __nccwpck_require__(338)
const diff = __nccwpck_require__(711)
const major = __nccwpck_require__(511)
const minor = __nccwpck_require__(603)
const patch = __nccwpck_require__(756)
const prerelease = __nccwpck_require__(714)
const compare = __nccwpck_require__(469)
const rcompare = __nccwpck_require__(173)
const compareLoose = __nccwpck_require__(874)
const compareBuild = __nccwpck_require__(648)
const sort = __nccwpck_require__(872)
const rsort = __nccwpck_require__(192)
const gt = __nccwpck_require__(599)
const lt = __nccwpck_require__(491)
const eq = __nccwpck_require__(82)
const neq = __nccwpck_require__(974)
const gte = __nccwpck_require__(236)
const lte = __nccwpck_require__(717)
const cmp = __nccwpck_require__(646)
const coerce = __nccwpck_require__(385)
const truncate = __nccwpck_require__(114)
const Comparator = __nccwpck_require__(379)
const Range = __nccwpck_require__(782)
const satisfies = __nccwpck_require__(11)
const toComparators = __nccwpck_require__(750)
const maxSatisfying = __nccwpck_require__(193)
const minSatisfying = __nccwpck_require__(595)
const minVersion = __nccwpck_require__(866)
const validRange = __nccwpck_require__(118)
const outside = __nccwpck_require__(280)
const gtr = __nccwpck_require__(276)
const ltr = __nccwpck_require__(213)
const intersects = __nccwpck_require__(465)
const simplifyRange = __nccwpck_require__(28)
const subset = __nccwpck_require__(489)
module.exports = {
  parse,
  valid,
  clean,
  inc,
  diff,
  major,
  minor,
  patch,
  prerelease,
  compare,
  rcompare,
  compareLoose,
  compareBuild,
  sort,
  rsort,
  gt,
  lt,
  eq,
  neq,
  gte,
  lte,
  cmp,
  coerce,
  truncate,
  Comparator,
  Range,
  satisfies,
  toComparators,
  maxSatisfying,
  minSatisfying,
  minVersion,
  validRange,
  outside,
  gtr,
  ltr,
  intersects,
  simplifyRange,
  subset,
  SemVer,
  re: internalRe.re,
  src: internalRe.src,
  tokens: internalRe.t,
  SEMVER_SPEC_VERSION: constants.SEMVER_SPEC_VERSION,
  RELEASE_TYPES: constants.RELEASE_TYPES,
  compareIdentifiers: identifiers.compareIdentifiers,
  rcompareIdentifiers: identifiers.rcompareIdentifiers,
}


/***/ }),

/***/ 101:
/***/ ((module) => {



// Note: this is the semver.org version of the spec that it implements
// Not necessarily the package version of this code.
const SEMVER_SPEC_VERSION = '2.0.0'

const MAX_LENGTH = 256
const MAX_SAFE_INTEGER = Number.MAX_SAFE_INTEGER ||
/* istanbul ignore next */ 9007199254740991

// Max safe segment length for coercion.
const MAX_SAFE_COMPONENT_LENGTH = 16

// Max safe length for a build identifier. The max length minus 6 characters for
// the shortest version with a build 0.0.0+BUILD.
const MAX_SAFE_BUILD_LENGTH = MAX_LENGTH - 6

// ECMAScript whitespace and line terminators matched by \s.
const WHITESPACE_CHARACTERS = [
  '\t',
  '\n',
  '\v',
  '\f',
  '\r',
  ' ',
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u2001',
  '\u2002',
  '\u2003',
  '\u2004',
  '\u2005',
  '\u2006',
  '\u2007',
  '\u2008',
  '\u2009',
  '\u200a',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
  '\ufeff',
]

const RELEASE_TYPES = [
  'major',
  'premajor',
  'minor',
  'preminor',
  'patch',
  'prepatch',
  'prerelease',
]

module.exports = {
  MAX_LENGTH,
  MAX_SAFE_COMPONENT_LENGTH,
  MAX_SAFE_BUILD_LENGTH,
  MAX_SAFE_INTEGER,
  WHITESPACE_CHARACTERS,
  RELEASE_TYPES,
  SEMVER_SPEC_VERSION,
  FLAG_INCLUDE_PRERELEASE: 0b001,
  FLAG_LOOSE: 0b010,
}


/***/ }),

/***/ 159:
/***/ ((module) => {



const debug = (
  typeof process === 'object' &&
  process.env &&
  process.env.NODE_DEBUG &&
  /\bsemver\b/i.test(process.env.NODE_DEBUG)
) ? (...args) => console.error('SEMVER', ...args)
  : () => {}

module.exports = debug


/***/ }),

/***/ 348:
/***/ ((module) => {



const numeric = /^[0-9]+$/
const compareIdentifiers = (a, b) => {
  if (typeof a === 'number' && typeof b === 'number') {
    return a === b ? 0 : a < b ? -1 : 1
  }

  const anum = numeric.test(a)
  const bnum = numeric.test(b)

  if (anum && bnum) {
    a = +a
    b = +b
  }

  return a === b ? 0
    : (anum && !bnum) ? -1
    : (bnum && !anum) ? 1
    : a < b ? -1
    : 1
}

const rcompareIdentifiers = (a, b) => compareIdentifiers(b, a)

module.exports = {
  compareIdentifiers,
  rcompareIdentifiers,
}


/***/ }),

/***/ 383:
/***/ ((module) => {



class LRUCache {
  constructor () {
    this.max = 1000
    this.map = new Map()
  }

  get (key) {
    const value = this.map.get(key)
    if (value === undefined) {
      return undefined
    } else {
      // Remove the key from the map and add it to the end
      this.map.delete(key)
      this.map.set(key, value)
      return value
    }
  }

  delete (key) {
    return this.map.delete(key)
  }

  set (key, value) {
    const deleted = this.delete(key)

    if (!deleted && value !== undefined) {
      // If cache is full, delete the least recently used item
      if (this.map.size >= this.max) {
        const firstKey = this.map.keys().next().value
        this.delete(firstKey)
      }

      this.map.set(key, value)
    }

    return this
  }
}

module.exports = LRUCache


/***/ }),

/***/ 356:
/***/ ((module) => {



// parse out just the options we care about
const looseOption = Object.freeze({ loose: true })
const emptyOpts = Object.freeze({ })
const parseOptions = options => {
  if (!options) {
    return emptyOpts
  }

  if (typeof options !== 'object') {
    return looseOption
  }

  return options
}
module.exports = parseOptions


/***/ }),

/***/ 471:
/***/ ((module, exports, __nccwpck_require__) => {



const {
  MAX_SAFE_COMPONENT_LENGTH,
  MAX_SAFE_BUILD_LENGTH,
  MAX_LENGTH,
} = __nccwpck_require__(101)
const debug = __nccwpck_require__(159)
exports = module.exports = {}

// The actual regexps go on exports.re
const re = exports.re = []
const safeRe = exports.safeRe = []
const src = exports.src = []
const safeSrc = exports.safeSrc = []
const t = exports.t = {}
let R = 0

const LETTERDASHNUMBER = '[a-zA-Z0-9-]'

// Replace some greedy regex tokens to prevent regex dos issues. These regex are
// used internally via the safeRe object since all inputs in this library get
// normalized first to trim and collapse all extra whitespace. The original
// regexes are exported for userland consumption and lower level usage. A
// future breaking change could export the safer regex only with a note that
// all input should have extra whitespace removed.
const safeRegexReplacements = [
  ['\\s', 1],
  ['\\d', MAX_LENGTH],
  [LETTERDASHNUMBER, MAX_SAFE_BUILD_LENGTH],
]

const makeSafeRegex = (value) => {
  for (const [token, max] of safeRegexReplacements) {
    value = value
      .split(`${token}*`).join(`${token}{0,${max}}`)
      .split(`${token}+`).join(`${token}{1,${max}}`)
  }
  return value
}

const createToken = (name, value, isGlobal) => {
  const safe = makeSafeRegex(value)
  const index = R++
  debug(name, index, value)
  t[name] = index
  src[index] = value
  safeSrc[index] = safe
  re[index] = new RegExp(value, isGlobal ? 'g' : undefined)
  safeRe[index] = new RegExp(safe, isGlobal ? 'g' : undefined)
}

// The following Regular Expressions can be used for tokenizing,
// validating, and parsing SemVer version strings.

// ## Numeric Identifier
// A single `0`, or a non-zero digit followed by zero or more digits.

createToken('NUMERICIDENTIFIER', '0|[1-9]\\d*')
createToken('NUMERICIDENTIFIERLOOSE', '\\d+')

// ## Non-numeric Identifier
// Zero or more digits, followed by a letter or hyphen, and then zero or
// more letters, digits, or hyphens.

createToken('NONNUMERICIDENTIFIER', `\\d*[a-zA-Z-]${LETTERDASHNUMBER}*`)

// ## Main Version
// Three dot-separated numeric identifiers.

createToken('MAINVERSION', `(${src[t.NUMERICIDENTIFIER]})\\.` +
                   `(${src[t.NUMERICIDENTIFIER]})\\.` +
                   `(${src[t.NUMERICIDENTIFIER]})`)

createToken('MAINVERSIONLOOSE', `(${src[t.NUMERICIDENTIFIERLOOSE]})\\.` +
                        `(${src[t.NUMERICIDENTIFIERLOOSE]})\\.` +
                        `(${src[t.NUMERICIDENTIFIERLOOSE]})`)

// ## Pre-release Version Identifier
// A numeric identifier, or a non-numeric identifier.
// Non-numeric identifiers include numeric identifiers but can be longer.
// Therefore non-numeric identifiers must go first.

createToken('PRERELEASEIDENTIFIER', `(?:${src[t.NONNUMERICIDENTIFIER]
}|${src[t.NUMERICIDENTIFIER]})`)

createToken('PRERELEASEIDENTIFIERLOOSE', `(?:${src[t.NONNUMERICIDENTIFIER]
}|${src[t.NUMERICIDENTIFIERLOOSE]})`)

// ## Pre-release Version
// Hyphen, followed by one or more dot-separated pre-release version
// identifiers.

createToken('PRERELEASE', `(?:-(${src[t.PRERELEASEIDENTIFIER]
}(?:\\.${src[t.PRERELEASEIDENTIFIER]})*))`)

createToken('PRERELEASELOOSE', `(?:-?(${src[t.PRERELEASEIDENTIFIERLOOSE]
}(?:\\.${src[t.PRERELEASEIDENTIFIERLOOSE]})*))`)

// ## Build Metadata Identifier
// Any combination of digits, letters, or hyphens.

createToken('BUILDIDENTIFIER', `${LETTERDASHNUMBER}+`)

// ## Build Metadata
// Plus sign, followed by one or more period-separated build metadata
// identifiers.

createToken('BUILD', `(?:\\+(${src[t.BUILDIDENTIFIER]
}(?:\\.${src[t.BUILDIDENTIFIER]})*))`)

// ## Full Version String
// A main version, followed optionally by a pre-release version and
// build metadata.

// Note that the only major, minor, patch, and pre-release sections of
// the version string are capturing groups.  The build metadata is not a
// capturing group, because it should not ever be used in version
// comparison.

createToken('FULLPLAIN', `v?${src[t.MAINVERSION]
}${src[t.PRERELEASE]}?${
  src[t.BUILD]}?`)

createToken('FULL', `^${src[t.FULLPLAIN]}$`)

// like full, but allows v1.2.3 and =1.2.3, which people do sometimes.
// also, 1.0.0alpha1 (prerelease without the hyphen) which is pretty
// common in the npm registry.
createToken('LOOSEPLAIN', `[v=\\s]*${src[t.MAINVERSIONLOOSE]
}${src[t.PRERELEASELOOSE]}?${
  src[t.BUILD]}?`)

createToken('LOOSE', `^${src[t.LOOSEPLAIN]}$`)

createToken('GTLT', '((?:<|>)?=?)')

// Something like "2.*" or "1.2.x".
// Note that "x.x" is a valid xRange identifier, meaning "any version"
// Only the first item is strictly required.
createToken('XRANGEIDENTIFIERLOOSE', `${src[t.NUMERICIDENTIFIERLOOSE]}|x|X|\\*`)
createToken('XRANGEIDENTIFIER', `${src[t.NUMERICIDENTIFIER]}|x|X|\\*`)

createToken('XRANGEPLAIN', `[v=\\s]*(${src[t.XRANGEIDENTIFIER]})` +
                   `(?:\\.(${src[t.XRANGEIDENTIFIER]})` +
                   `(?:\\.(${src[t.XRANGEIDENTIFIER]})` +
                   `(?:${src[t.PRERELEASE]})?${
                     src[t.BUILD]}?` +
                   `)?)?`)

createToken('XRANGEPLAINLOOSE', `[v=\\s]*(${src[t.XRANGEIDENTIFIERLOOSE]})` +
                        `(?:\\.(${src[t.XRANGEIDENTIFIERLOOSE]})` +
                        `(?:\\.(${src[t.XRANGEIDENTIFIERLOOSE]})` +
                        `(?:${src[t.PRERELEASELOOSE]})?${
                          src[t.BUILD]}?` +
                        `)?)?`)

createToken('XRANGE', `^${src[t.GTLT]}\\s*${src[t.XRANGEPLAIN]}$`)
createToken('XRANGELOOSE', `^${src[t.GTLT]}\\s*${src[t.XRANGEPLAINLOOSE]}$`)

// Coercion.
// Extract anything that could conceivably be a part of a valid semver
createToken('COERCEPLAIN', `${'(^|[^\\d])' +
              '(\\d{1,'}${MAX_SAFE_COMPONENT_LENGTH}})` +
              `(?:\\.(\\d{1,${MAX_SAFE_COMPONENT_LENGTH}}))?` +
              `(?:\\.(\\d{1,${MAX_SAFE_COMPONENT_LENGTH}}))?`)
createToken('COERCE', `${src[t.COERCEPLAIN]}(?:$|[^\\d])`)
createToken('COERCEFULL', src[t.COERCEPLAIN] +
              `(?:${src[t.PRERELEASE]})?` +
              `(?:${src[t.BUILD]})?` +
              `(?:$|[^\\d])`)
createToken('COERCERTL', src[t.COERCE], true)
createToken('COERCERTLFULL', src[t.COERCEFULL], true)

// Tilde ranges.
// Meaning is "reasonably at or greater than"
createToken('LONETILDE', '(?:~>?)')

createToken('TILDETRIM', `(\\s*)${src[t.LONETILDE]}\\s+`, true)
exports.tildeTrimReplace = '$1~'

createToken('TILDE', `^${src[t.LONETILDE]}${src[t.XRANGEPLAIN]}$`)
createToken('TILDELOOSE', `^${src[t.LONETILDE]}${src[t.XRANGEPLAINLOOSE]}$`)

// Caret ranges.
// Meaning is "at least and backwards compatible with"
createToken('LONECARET', '(?:\\^)')

createToken('CARETTRIM', `(\\s*)${src[t.LONECARET]}\\s+`, true)
exports.caretTrimReplace = '$1^'

createToken('CARET', `^${src[t.LONECARET]}${src[t.XRANGEPLAIN]}$`)
createToken('CARETLOOSE', `^${src[t.LONECARET]}${src[t.XRANGEPLAINLOOSE]}$`)

// A simple gt/lt/eq thing, or just "" to indicate "any version"
createToken('COMPARATORLOOSE', `^${src[t.GTLT]}\\s*(${src[t.LOOSEPLAIN]})$|^$`)
createToken('COMPARATOR', `^${src[t.GTLT]}\\s*(${src[t.FULLPLAIN]})$|^$`)

// An expression to strip any whitespace between the gtlt and the thing
// it modifies, so that `> 1.2.3` ==> `>1.2.3`
createToken('COMPARATORTRIM', `(\\s*)${src[t.GTLT]
}\\s*(${src[t.LOOSEPLAIN]}|${src[t.XRANGEPLAIN]})`, true)
exports.comparatorTrimReplace = '$1$2$3'

// Something like `1.2.3 - 1.2.4`
// Note that these all use the loose form, because they'll be
// checked against either the strict or loose comparator form
// later.
createToken('HYPHENRANGE', `^\\s*(${src[t.XRANGEPLAIN]})` +
                   `\\s+-\\s+` +
                   `(${src[t.XRANGEPLAIN]})` +
                   `\\s*$`)

createToken('HYPHENRANGELOOSE', `^\\s*(${src[t.XRANGEPLAINLOOSE]})` +
                        `\\s+-\\s+` +
                        `(${src[t.XRANGEPLAINLOOSE]})` +
                        `\\s*$`)

// Star ranges basically just allow anything at all.
createToken('STAR', '(<|>)?=?\\s*\\*')
// >=0.0.0 is like a star
createToken('GTE0', '^\\s*>=\\s*0\\.0\\.0\\s*$')
createToken('GTE0PRE', '^\\s*>=\\s*0\\.0\\.0-0\\s*$')


/***/ }),

/***/ 737:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

// @ts-check


// Reproduce safeRe[COMPARATORTRIM] replacement boundaries, not version
// validation. Each end-index finder returns an exclusive end, or its start
// on no match.
// Positions count from zero. An end of 3 means characters 0, 1, and 2 were read;
// range.slice(start, end) gives the matched text, not a converted number.
const {
  MAX_LENGTH,
  MAX_SAFE_BUILD_LENGTH,
  WHITESPACE_CHARACTERS,
} = __nccwpck_require__(101)

/**
 * Remembers the last two rows of digits so their characters need not be reread.
 * Positions start at -1 until a row has been found.
 *
 * @typedef {object} DigitRunCache
 * @property {number} start The first character of the most recently found row.
 * @property {number} end The position after that row's last character.
 * @property {number} previousStart The first character of the previous row.
 * @property {number} previousEnd The position after the previous row.
 */

// One entry per UTF-16 code unit keeps membership checks constant-time.
const whitespace = new Uint8Array(0x10000)
for (const char of WHITESPACE_CHARACTERS) {
  whitespace[char.charCodeAt(0)] = 1
}

/**
 * Checks whether a character is whitespace, like a space, tab, or newline.
 * Looking past the end of the string returns false.
 *
 * @param {string|undefined} char One character, or undefined past the string's end.
 * @returns {boolean} Whether the character is whitespace.
 * @example isWhitespace(' ') // true
 * @example isWhitespace('1') // false
 */
const isWhitespace = char =>
  char !== undefined && whitespace[char.charCodeAt(0)] === 1

/**
 * Checks for v, =, or whitespace before the version number.
 * These are historical version prefixes, not range operators:
 * < and > are handled separately, as are tilde and caret ranges.
 *
 * @param {string|undefined} char One character to check.
 * @returns {boolean} Whether the character can belong to a version prefix.
 * @example isVersionPrefix('=') // true
 * @example isVersionPrefix('>') // false
 */
const isVersionPrefix = char =>
  char === 'v' ||
  char === '=' ||
  isWhitespace(char)

/**
 * Checks whether a character is one of the digits 0 through 9.
 *
 * @param {string|undefined} char One character to check.
 * @returns {boolean} Whether the character is an ASCII digit.
 * @example isDigit('7') // true
 * @example isDigit('.') // false
 */
const isDigit = char => char !== undefined && char >= '0' && char <= '9'

/**
 * Checks whether a character is an English letter, uppercase or lowercase.
 *
 * @param {string|undefined} char One character to check.
 * @returns {boolean} Whether the character is an ASCII letter.
 * @example isLetter('b') // true
 * @example isLetter('7') // false
 */
const isLetter = char =>
  char !== undefined && (
    (char >= 'a' && char <= 'z') ||
    (char >= 'A' && char <= 'Z')
  )

/**
 * Checks for a letter, digit, or hyphen: the characters allowed inside
 * prerelease and build names such as beta-1.
 *
 * @param {string|undefined} char One character to check.
 * @returns {boolean} Whether the character can be part of an identifier.
 * @example isIdentifierCharacter('-') // true
 * @example isIdentifierCharacter('.') // false; dots separate identifiers
 */
const isIdentifierCharacter = char => isDigit(char) || isLetter(char) || char === '-'

/**
 * Checks whether a version component can begin here: with a digit or
 * a wildcard such as x, X, or *.
 *
 * @param {string|undefined} char One character to check.
 * @returns {boolean} Whether a number or wildcard can start with this character.
 * @example isVersionStart('x') // true
 * @example isVersionStart('v') // false; v belongs to the prefix
 */
const isVersionStart = char =>
  isDigit(char) ||
  char === 'x' ||
  char === 'X' ||
  char === '*'

/**
 * Finds the end of a row of digits, but returns no more than limit digits.
 * Remembers the last two rows so looking at them again does not reread them.
 *
 * @param {string} range The text to read; it is not changed.
 * @param {number} start The position of the first character to check.
 * @param {number} limit The most digit characters the returned match can include.
 * @param {DigitRunCache} digitRuns Shared cache of digit-run positions, updated in place.
 * @returns {number} The position after the matched digits, or start if none match.
 * @example findDigitsEndIndex('123abc', 0, 10, digitRuns) // 3, pointing at a
 * @example findDigitsEndIndex('123abc', 0, 2, digitRuns) // 2, pointing at the unread 3
 */
const findDigitsEndIndex = (range, start, limit, digitRuns) => {
  if (!isDigit(range[start])) {
    return start
  }
  if (start >= digitRuns.start && start < digitRuns.end) {
    return Math.min(start + limit, digitRuns.end)
  }
  if (start >= digitRuns.previousStart && start < digitRuns.previousEnd) {
    return Math.min(start + limit, digitRuns.previousEnd)
  }
  let end = start + 1
  while (isDigit(range[end])) {
    end++
  }
  // A failed full version can rewind from its second run to its first.
  digitRuns.previousStart = digitRuns.start
  digitRuns.previousEnd = digitRuns.end
  digitRuns.start = start
  digitRuns.end = end
  return Math.min(start + limit, end)
}

/**
 * Reads a number using the old regex's length and leading-zero rules.
 * Strict mode reads just the first zero in 012; loose mode can read all three.
 *
 * @param {string} range The text to read; it is not changed.
 * @param {number} start The position where the number should begin.
 * @param {boolean} loose Whether to allow leading zeros.
 * @param {DigitRunCache} digitRuns Shared digit-run cache, updated as needed.
 * @returns {number} The position after the matched digits, not their numeric value.
 * @example findVersionNumberEndIndex('012', 0, false, digitRuns) // 1
 * @example findVersionNumberEndIndex('012', 0, true, digitRuns) // 3
 */
const findVersionNumberEndIndex = (range, start, loose, digitRuns) => {
  if (!loose && range[start] === '0') {
    return start + 1
  }
  // Strict syntax allows an initial nonzero digit plus MAX_LENGTH digits.
  return findDigitsEndIndex(range, start, loose ? MAX_LENGTH : MAX_LENGTH + 1, digitRuns)
}

/**
 * Reads one piece of a prerelease name, such as beta or 1 in beta.1.
 * Tries the letter-or-hyphen form first, then the number-only form.
 *
 * @param {string} range The text to read; it is not changed.
 * @param {number} start The position where the identifier should begin.
 * @param {boolean} loose Whether numeric identifiers may have leading zeros.
 * @param {DigitRunCache} digitRuns Shared digit-run cache, updated as needed.
 * @returns {number} The position after the identifier, or start if none matches.
 * @example findPrereleaseIdentifierEndIndex('beta.1', 0, false, digitRuns) // 4, at the dot
 * @example findPrereleaseIdentifierEndIndex('001beta', 0, false, digitRuns) // 7
 */
const findPrereleaseIdentifierEndIndex = (range, start, loose, digitRuns) => {
  const digitsEnd = findDigitsEndIndex(range, start, MAX_LENGTH, digitRuns)
  // The legacy regex tries a nonnumeric identifier before a numeric one.
  if (isLetter(range[digitsEnd]) || range[digitsEnd] === '-') {
    let end = digitsEnd + 1
    const limit = end + MAX_SAFE_BUILD_LENGTH
    while (end < limit && isIdentifierCharacter(range[end])) {
      end++
    }
    return end
  }
  return findVersionNumberEndIndex(range, start, loose, digitRuns)
}

/**
 * Reads a prerelease suffix such as -beta.1, one dot-separated piece at a time.
 * Loose mode also allows the name without its opening hyphen.
 *
 * @param {string} range The text to read; it is not changed.
 * @param {number} start The position where the suffix should begin, including -.
 * @param {boolean} loose Whether the opening hyphen is optional and zeros allowed.
 * @param {DigitRunCache} digitRuns Shared digit-run cache, updated as needed.
 * @returns {number} The position after the matched suffix, or start if absent.
 * @example findPrereleaseEndIndex('-beta.1+sha', 0, false, digitRuns) // 7, at the plus
 * @example findPrereleaseEndIndex('beta', 0, false, digitRuns) // 0; no opening hyphen
 */
const findPrereleaseEndIndex = (range, start, loose, digitRuns) => {
  const hyphen = range[start] === '-'
  if (!loose && !hyphen) {
    return start
  }
  const identifierStart = start + (hyphen ? 1 : 0)
  let end = findPrereleaseIdentifierEndIndex(range, identifierStart, loose, digitRuns)
  if (end === identifierStart) {
    if (!loose || !hyphen) {
      return start
    }
    // In loose syntax, a lone hyphen can itself be the identifier.
    end = findPrereleaseIdentifierEndIndex(range, start, loose, digitRuns)
  }
  while (range[end] === '.') {
    const next = findPrereleaseIdentifierEndIndex(range, end + 1, loose, digitRuns)
    if (next === end + 1) {
      break
    }
    end = next
  }
  return end
}

/**
 * Reads one build-name piece, such as sha or 123 in +sha.123.
 * Stops at a disallowed character or the old regex's length limit.
 *
 * @param {string} range The text to read; it is not changed.
 * @param {number} start The position where the identifier should begin.
 * @returns {number} The position after the identifier, or start if none matches.
 * @example findBuildIdentifierEndIndex('sha.123', 0) // 3, at the dot
 * @example findBuildIdentifierEndIndex('001', 0) // 3; leading zeros are allowed
 */
const findBuildIdentifierEndIndex = (range, start) => {
  let end = start
  while (end - start < MAX_SAFE_BUILD_LENGTH && isIdentifierCharacter(range[end])) {
    end++
  }
  return end
}

/**
 * Reads optional build metadata such as +sha.123.
 * Leaves the position unchanged if there is no plus sign followed by a name.
 *
 * @param {string} range The text to read; it is not changed.
 * @param {number} start The position where the opening + should be.
 * @returns {number} The position after the matched metadata, or start if absent.
 * @example findBuildEndIndex('+sha.123 <2', 0) // 8, at the space
 * @example findBuildEndIndex('+', 0) // 0; a plus sign alone is not a match
 */
const findBuildEndIndex = (range, start) => {
  if (range[start] !== '+') {
    return start
  }
  let end = findBuildIdentifierEndIndex(range, start + 1)
  if (end === start + 1) {
    return start
  }
  while (range[end] === '.') {
    const next = findBuildIdentifierEndIndex(range, end + 1)
    if (next === end + 1) {
      break
    }
    end = next
  }
  return end
}

/**
 * Reads three numbers separated by dots, then any prerelease and build suffixes.
 * Uses loose rules, so forms such as 01.02.03beta can match here.
 *
 * @param {string} range The text to read; it is not changed.
 * @param {number} start The position of the first number, after any prefix.
 * @param {DigitRunCache} digitRuns Shared digit-run cache, updated as needed.
 * @returns {number} The position after the version match, or start if none matches.
 * @example findLooseFullVersionEndIndex('1.2.3-beta+sha <2', 0, digitRuns) // 14
 * @example findLooseFullVersionEndIndex('1.2', 0, digitRuns) // 0; needs three numbers
 */
const findLooseFullVersionEndIndex = (range, start, digitRuns) => {
  let end = start
  for (let component = 0; component < 3; component++) {
    const next = findVersionNumberEndIndex(range, end, true, digitRuns)
    if (next === end) {
      return start
    }
    end = next
    if (component < 2) {
      if (range[end] !== '.') {
        return start
      }
      end++
    }
  }
  const prereleaseEnd = findPrereleaseEndIndex(range, end, true, digitRuns)
  return findBuildEndIndex(range, prereleaseEnd)
}

/**
 * Reads one component of a partial or wildcard version, such as 2 or x in 2.x.
 * Numbers use strict leading-zero rules; wildcards take up one character.
 *
 * @param {string} range The text to read; it is not changed.
 * @param {number} start The position where the component should begin.
 * @param {DigitRunCache} digitRuns Shared digit-run cache, updated as needed.
 * @returns {number} The position after the component, or start if none matches.
 * @example findPartialVersionComponentEndIndex('2.x', 0, digitRuns) // 1, at the dot
 * @example findPartialVersionComponentEndIndex('2.x', 2, digitRuns) // 3, after x
 */
const findPartialVersionComponentEndIndex = (range, start, digitRuns) => {
  if (isDigit(range[start])) {
    return findVersionNumberEndIndex(range, start, false, digitRuns)
  }
  return isVersionStart(range[start]) ? start + 1 : start
}

/**
 * Reads up to three components, allowing forms such as 1, 1.2, or 1.x.
 * After the third component, also reads any strict prerelease and build suffixes.
 *
 * @param {string} range The text to read; it is not changed.
 * @param {number} start The position of a number or wildcard, after any prefix.
 * @param {DigitRunCache} digitRuns Shared digit-run cache, updated as needed.
 * @returns {number} The position after the matched version text.
 * @example findPartialVersionEndIndex('1.x <2', 0, digitRuns) // 3, at the space
 * @example findPartialVersionEndIndex('1.', 0, digitRuns) // 1; the trailing dot is unread
 */
const findPartialVersionEndIndex = (range, start, digitRuns) => {
  let end = findPartialVersionComponentEndIndex(range, start, digitRuns)
  for (let component = 0; component < 2; component++) {
    if (range[end] !== '.') {
      return end
    }
    const next = findPartialVersionComponentEndIndex(range, end + 1, digitRuns)
    if (next === end + 1) {
      return end
    }
    end = next
  }
  const prereleaseEnd = findPrereleaseEndIndex(range, end, false, digitRuns)
  return findBuildEndIndex(range, prereleaseEnd)
}

/**
 * Finds where a version match ends, without deciding whether the range is valid.
 * Tries a loose full version first, then a partial or wildcard version, just
 * like the old regex's LOOSEPLAIN and XRANGEPLAIN alternatives.
 *
 * @param {string} range The text to read; it is not changed.
 * @param {number} start The position of a number or wildcard, after any prefix.
 * @param {DigitRunCache} digitRuns Shared digit-run cache, updated as needed.
 * @returns {number} The position where scanning the next candidate can resume.
 * @example findVersionEndIndex('1.2.3 <2', 0, digitRuns) // 5, at the space
 * @example findVersionEndIndex('1.x <2', 0, digitRuns) // 3, at the space
 */
const findVersionEndIndex = (range, start, digitRuns) => {
  const fullVersionEnd = findLooseFullVersionEndIndex(range, start, digitRuns)
  return fullVersionEnd !== start
    ? fullVersionEnd
    : findPartialVersionEndIndex(range, start, digitRuns)
}

/**
 * Finds the one whitespace character the old replacement would remove.
 * Keeps leading whitespace, skips an optional operator, and checks immediately
 * after it. Returns -1 if there is nothing to remove.
 *
 * @param {string} range The text containing a candidate already found by the caller.
 * @param {number} matchStart The candidate's position, including leading whitespace.
 * @returns {number} The position of the removable whitespace, or -1 if absent.
 * @example findRemovableWhitespaceIndex(' > 1', 0) // 2; keep the space at position 0
 * @example findRemovableWhitespaceIndex('>1', 0) // -1
 */
const findRemovableWhitespaceIndex = (range, matchStart) => {
  let position = matchStart
  if (isWhitespace(range[position])) {
    position++
  }
  if (range[position] === '<' || range[position] === '>') {
    position++
  }
  if (range[position] === '=') {
    position++
  }
  return isWhitespace(range[position]) ? position : -1
}

/**
 * Joins an operator to its version, turning > 1.2.3 into >1.2.3.
 * Copies everything else according to the old regex's matching rules.
 * Moves forward through prefixes and whole versions to avoid repeatedly
 * searching the same characters on long inputs.
 *
 * @param {string} range The range text to process; the original string is unchanged.
 * @returns {string} The range with matched operator whitespace removed.
 * @example trimComparatorWhitespace('> 1.2.3 < 2') // '>1.2.3 <2'
 * @example trimComparatorWhitespace('> invalid') // '> invalid'
 */
const trimComparatorWhitespace = range => {
  let result = ''
  let copyFrom = 0
  let cursor = 0
  const digitRuns = { start: -1, end: -1, previousStart: -1, previousEnd: -1 }

  while (cursor < range.length) {
    const matchStart = cursor
    if (range[cursor] === '<' || range[cursor] === '>') {
      cursor++
    } else if (!isVersionPrefix(range[cursor]) && !isVersionStart(range[cursor])) {
      cursor++
      continue
    }

    // Consume a v/=/whitespace run once, even when no version follows it.
    while (cursor < range.length && isVersionPrefix(range[cursor])) {
      cursor++
    }
    if (!isVersionStart(range[cursor])) {
      continue
    }

    const whitespacePosition = findRemovableWhitespaceIndex(range, matchStart)
    if (whitespacePosition !== -1) {
      result += range.slice(copyFrom, whitespacePosition)
      copyFrom = whitespacePosition + 1
    }

    // Skip the entire match, so a prerelease's trailing v cannot be
    // reconsidered as the prefix of another version.
    cursor = findVersionEndIndex(range, cursor, digitRuns)
  }

  return result + range.slice(copyFrom)
}

module.exports = trimComparatorWhitespace


/***/ }),

/***/ 276:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



// Determine if version is greater than all the versions possible in the range.
const outside = __nccwpck_require__(280)
const gtr = (version, range, options) => outside(version, range, '>', options)
module.exports = gtr


/***/ }),

/***/ 465:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const Range = __nccwpck_require__(782)
const intersects = (r1, r2, options) => {
  r1 = new Range(r1, options)
  r2 = new Range(r2, options)
  return r1.intersects(r2, options)
}
module.exports = intersects


/***/ }),

/***/ 213:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const outside = __nccwpck_require__(280)
// Determine if version is less than all the versions possible in the range
const ltr = (version, range, options) => outside(version, range, '<', options)
module.exports = ltr


/***/ }),

/***/ 193:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const SemVer = __nccwpck_require__(163)
const Range = __nccwpck_require__(782)

const maxSatisfying = (versions, range, options) => {
  let max = null
  let maxSV = null
  let rangeObj = null
  try {
    rangeObj = new Range(range, options)
  } catch (er) {
    return null
  }
  versions.forEach((v) => {
    if (rangeObj.test(v)) {
      // satisfies(v, range, options)
      if (!max || maxSV.compare(v) === -1) {
        // compare(max, v, true)
        max = v
        maxSV = new SemVer(max, options)
      }
    }
  })
  return max
}
module.exports = maxSatisfying


/***/ }),

/***/ 595:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const SemVer = __nccwpck_require__(163)
const Range = __nccwpck_require__(782)
const minSatisfying = (versions, range, options) => {
  let min = null
  let minSV = null
  let rangeObj = null
  try {
    rangeObj = new Range(range, options)
  } catch (er) {
    return null
  }
  versions.forEach((v) => {
    if (rangeObj.test(v)) {
      // satisfies(v, range, options)
      if (!min || minSV.compare(v) === 1) {
        // compare(min, v, true)
        min = v
        minSV = new SemVer(min, options)
      }
    }
  })
  return min
}
module.exports = minSatisfying


/***/ }),

/***/ 866:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const SemVer = __nccwpck_require__(163)
const Range = __nccwpck_require__(782)
const gt = __nccwpck_require__(599)

const minVersion = (range, loose) => {
  range = new Range(range, loose)

  let minver = new SemVer('0.0.0')
  if (range.test(minver)) {
    return minver
  }

  minver = new SemVer('0.0.0-0')
  if (range.test(minver)) {
    return minver
  }

  minver = null
  for (let i = 0; i < range.set.length; ++i) {
    const comparators = range.set[i]

    let setMin = null
    comparators.forEach((comparator) => {
      // Clone to avoid manipulating the comparator's semver object.
      const compver = new SemVer(comparator.semver.version)
      switch (comparator.operator) {
        case '>':
          if (compver.prerelease.length === 0) {
            compver.patch++
          } else {
            compver.prerelease.push(0)
          }
          compver.raw = compver.format()
          /* fallthrough */
        case '':
        case '>=':
          if (!setMin || gt(compver, setMin)) {
            setMin = compver
          }
          break
        case '<':
        case '<=':
          /* Ignore maximum versions */
          break
        /* istanbul ignore next */
        default:
          throw new Error(`Unexpected operation: ${comparator.operator}`)
      }
    })
    if (setMin && (!minver || gt(minver, setMin))) {
      minver = setMin
    }
  }

  if (minver && range.test(minver)) {
    return minver
  }

  return null
}
module.exports = minVersion


/***/ }),

/***/ 280:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const SemVer = __nccwpck_require__(163)
const Comparator = __nccwpck_require__(379)
const { ANY } = Comparator
const Range = __nccwpck_require__(782)
const satisfies = __nccwpck_require__(11)
const gt = __nccwpck_require__(599)
const lt = __nccwpck_require__(491)
const lte = __nccwpck_require__(717)
const gte = __nccwpck_require__(236)

const outside = (version, range, hilo, options) => {
  version = new SemVer(version, options)
  range = new Range(range, options)

  let gtfn, ltefn, ltfn, comp, ecomp
  switch (hilo) {
    case '>':
      gtfn = gt
      ltefn = lte
      ltfn = lt
      comp = '>'
      ecomp = '>='
      break
    case '<':
      gtfn = lt
      ltefn = gte
      ltfn = gt
      comp = '<'
      ecomp = '<='
      break
    default:
      throw new TypeError('Must provide a hilo val of "<" or ">"')
  }

  // If it satisfies the range it is not outside
  if (satisfies(version, range, options)) {
    return false
  }

  // From now on, variable terms are as if we're in "gtr" mode.
  // but note that everything is flipped for the "ltr" function.

  for (let i = 0; i < range.set.length; ++i) {
    const comparators = range.set[i]

    let high = null
    let low = null

    comparators.forEach((comparator) => {
      if (comparator.semver === ANY) {
        comparator = new Comparator('>=0.0.0')
      }
      high = high || comparator
      low = low || comparator
      if (gtfn(comparator.semver, high.semver, options)) {
        high = comparator
      } else if (ltfn(comparator.semver, low.semver, options)) {
        low = comparator
      }
    })

    // If the edge version comparator has a operator then our version
    // isn't outside it
    if (high.operator === comp || high.operator === ecomp) {
      return false
    }

    // If the lowest version comparator has an operator and our version
    // is less than it then it isn't higher than the range
    if ((!low.operator || low.operator === comp) &&
        ltefn(version, low.semver)) {
      return false
    } else if (low.operator === ecomp && ltfn(version, low.semver)) {
      return false
    }
  }
  return true
}

module.exports = outside


/***/ }),

/***/ 28:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



// given a set of versions and a range, create a "simplified" range
// that includes the same versions that the original range does
// If the original range is shorter than the simplified one, return that.
const satisfies = __nccwpck_require__(11)
const compare = __nccwpck_require__(469)
module.exports = (versions, range, options) => {
  const set = []
  let first = null
  let prev = null
  const v = versions.sort((a, b) => compare(a, b, options))
  for (const version of v) {
    const included = satisfies(version, range, options)
    if (included) {
      prev = version
      if (!first) {
        first = version
      }
    } else {
      if (prev) {
        set.push([first, prev])
      }
      prev = null
      first = null
    }
  }
  if (first) {
    set.push([first, null])
  }

  const ranges = []
  for (const [min, max] of set) {
    if (min === max) {
      ranges.push(min)
    } else if (!max && min === v[0]) {
      ranges.push('*')
    } else if (!max) {
      ranges.push(`>=${min}`)
    } else if (min === v[0]) {
      ranges.push(`<=${max}`)
    } else {
      ranges.push(`${min} - ${max}`)
    }
  }
  const simplified = ranges.join(' || ')
  const original = typeof range.raw === 'string' ? range.raw : String(range)
  return simplified.length < original.length ? simplified : range
}


/***/ }),

/***/ 489:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const Range = __nccwpck_require__(782)
const Comparator = __nccwpck_require__(379)
const { ANY } = Comparator
const satisfies = __nccwpck_require__(11)
const compare = __nccwpck_require__(469)

// Complex range `r1 || r2 || ...` is a subset of `R1 || R2 || ...` iff:
// - Every simple range `r1, r2, ...` is a null set, OR
// - Every simple range `r1, r2, ...` which is not a null set is a subset of
//   some `R1, R2, ...`
//
// Simple range `c1 c2 ...` is a subset of simple range `C1 C2 ...` iff:
// - If c is only the ANY comparator
//   - If C is only the ANY comparator, return true
//   - Else if in prerelease mode, return false
//   - else replace c with `[>=0.0.0]`
// - If C is only the ANY comparator
//   - if in prerelease mode, return true
//   - else replace C with `[>=0.0.0]`
// - Let EQ be the set of = comparators in c
// - If EQ is more than one, return true (null set)
// - Let GT be the highest > or >= comparator in c
// - Let LT be the lowest < or <= comparator in c
// - If GT and LT, and GT.semver > LT.semver, return true (null set)
// - If any C is a = range, and GT or LT are set, return false
// - If EQ
//   - If GT, and EQ does not satisfy GT, return true (null set)
//   - If LT, and EQ does not satisfy LT, return true (null set)
//   - If EQ satisfies every C, return true
//   - Else return false
// - If GT
//   - If GT.semver is lower than any > or >= comp in C, return false
//   - If GT is >=, and GT.semver does not satisfy every C, return false
//   - If GT.semver has a prerelease, and not in prerelease mode
//     - If no C has a prerelease and the GT.semver tuple, return false
// - If LT
//   - If LT.semver is greater than any < or <= comp in C, return false
//   - If LT is <=, and LT.semver does not satisfy every C, return false
//   - If LT.semver has a prerelease, and not in prerelease mode
//     - If no C has a prerelease and the LT.semver tuple, return false
// - Else return true

const subset = (sub, dom, options = {}) => {
  if (sub === dom) {
    return true
  }

  sub = new Range(sub, options)
  dom = new Range(dom, options)
  let sawNonNull = false

  OUTER: for (const simpleSub of sub.set) {
    for (const simpleDom of dom.set) {
      const isSub = simpleSubset(simpleSub, simpleDom, options)
      sawNonNull = sawNonNull || isSub !== null
      if (isSub) {
        continue OUTER
      }
    }
    // the null set is a subset of everything, but null simple ranges in
    // a complex range should be ignored.  so if we saw a non-null range,
    // then we know this isn't a subset, but if EVERY simple range was null,
    // then it is a subset.
    if (sawNonNull) {
      return false
    }
  }
  return true
}

const minimumVersionWithPreRelease = [new Comparator('>=0.0.0-0')]
const minimumVersion = [new Comparator('>=0.0.0')]

const simpleSubset = (sub, dom, options) => {
  if (sub === dom) {
    return true
  }

  if (sub.length === 1 && sub[0].semver === ANY) {
    if (dom.length === 1 && dom[0].semver === ANY) {
      return true
    } else if (options.includePrerelease) {
      sub = minimumVersionWithPreRelease
    } else {
      sub = minimumVersion
    }
  }

  if (dom.length === 1 && dom[0].semver === ANY) {
    if (options.includePrerelease) {
      return true
    } else {
      dom = minimumVersion
    }
  }

  const eqSet = new Set()
  let gt, lt
  for (const c of sub) {
    if (c.operator === '>' || c.operator === '>=') {
      gt = higherGT(gt, c, options)
    } else if (c.operator === '<' || c.operator === '<=') {
      lt = lowerLT(lt, c, options)
    } else {
      eqSet.add(c.semver)
    }
  }

  if (eqSet.size > 1) {
    return null
  }

  let gtltComp
  if (gt && lt) {
    gtltComp = compare(gt.semver, lt.semver, options)
    if (gtltComp > 0) {
      return null
    } else if (gtltComp === 0 && (gt.operator !== '>=' || lt.operator !== '<=')) {
      return null
    }
  }

  // will iterate one or zero times
  for (const eq of eqSet) {
    if (gt && !satisfies(eq, String(gt), options)) {
      return null
    }

    if (lt && !satisfies(eq, String(lt), options)) {
      return null
    }

    for (const c of dom) {
      if (!satisfies(eq, String(c), options)) {
        return false
      }
    }

    return true
  }

  let higher, lower
  let hasDomLT, hasDomGT
  // if the subset has a prerelease, we need a comparator in the superset
  // with the same tuple and a prerelease, or it's not a subset
  let needDomLTPre = lt &&
    !options.includePrerelease &&
    lt.semver.prerelease.length ? lt.semver : false
  let needDomGTPre = gt &&
    !options.includePrerelease &&
    gt.semver.prerelease.length ? gt.semver : false
  // exception: <1.2.3-0 is the same as <1.2.3
  if (needDomLTPre && needDomLTPre.prerelease.length === 1 &&
      lt.operator === '<' && needDomLTPre.prerelease[0] === 0) {
    needDomLTPre = false
  }

  for (const c of dom) {
    hasDomGT = hasDomGT || c.operator === '>' || c.operator === '>='
    hasDomLT = hasDomLT || c.operator === '<' || c.operator === '<='
    if (gt) {
      if (needDomGTPre) {
        if (c.semver.prerelease && c.semver.prerelease.length &&
            c.semver.major === needDomGTPre.major &&
            c.semver.minor === needDomGTPre.minor &&
            c.semver.patch === needDomGTPre.patch) {
          needDomGTPre = false
        }
      }
      if (c.operator === '>' || c.operator === '>=') {
        higher = higherGT(gt, c, options)
        if (higher === c && higher !== gt) {
          return false
        }
      } else if (gt.operator === '>=' && !c.test(gt.semver)) {
        return false
      }
    }
    if (lt) {
      if (needDomLTPre) {
        if (c.semver.prerelease && c.semver.prerelease.length &&
            c.semver.major === needDomLTPre.major &&
            c.semver.minor === needDomLTPre.minor &&
            c.semver.patch === needDomLTPre.patch) {
          needDomLTPre = false
        }
      }
      if (c.operator === '<' || c.operator === '<=') {
        lower = lowerLT(lt, c, options)
        if (lower === c && lower !== lt) {
          return false
        }
      } else if (lt.operator === '<=' && !c.test(lt.semver)) {
        return false
      }
    }
    if (!c.operator && (lt || gt) && gtltComp !== 0) {
      return false
    }
  }

  // if there was a < or >, and nothing in the dom, then must be false
  // UNLESS it was limited by another range in the other direction.
  // Eg, >1.0.0 <1.0.1 is still a subset of <2.0.0
  if (gt && hasDomLT && !lt && gtltComp !== 0) {
    return false
  }

  if (lt && hasDomGT && !gt && gtltComp !== 0) {
    return false
  }

  // we needed a prerelease range in a specific tuple, but didn't get one
  // then this isn't a subset.  eg >=1.2.3-pre is not a subset of >=1.0.0,
  // because it includes prereleases in the 1.2.3 tuple
  if (needDomGTPre || needDomLTPre) {
    return false
  }

  return true
}

// >=1.2.3 is lower than >1.2.3
const higherGT = (a, b, options) => {
  if (!a) {
    return b
  }
  const comp = compare(a.semver, b.semver, options)
  return comp > 0 ? a
    : comp < 0 ? b
    : b.operator === '>' && a.operator === '>=' ? b
    : a
}

// <=1.2.3 is higher than <1.2.3
const lowerLT = (a, b, options) => {
  if (!a) {
    return b
  }
  const comp = compare(a.semver, b.semver, options)
  return comp < 0 ? a
    : comp > 0 ? b
    : b.operator === '<' && a.operator === '<=' ? b
    : a
}

module.exports = subset


/***/ }),

/***/ 750:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const Range = __nccwpck_require__(782)

// Mostly just for testing and legacy API reasons
const toComparators = (range, options) =>
  new Range(range, options).set
    .map(comp => comp.map(c => c.value).join(' ').trim().split(' '))

module.exports = toComparators


/***/ }),

/***/ 118:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const Range = __nccwpck_require__(782)
const validRange = (range, options) => {
  try {
    // Return '*' instead of '' so that truthiness works.
    // This will throw if it's invalid anyway
    return new Range(range, options).range || '*'
  } catch (er) {
    return null
  }
}
module.exports = validRange


/***/ }),

/***/ 486:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(377);
/** The CLI's entry point: only calls run(). */

await (0,_main_js__WEBPACK_IMPORTED_MODULE_0__/* .run */ .e)(process.argv.slice(2));

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 377:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  e: () => (/* binding */ run)
});

// NAMESPACE OBJECT: ./node_modules/@renovatebot/pep440/lib/operator.js
var operator_namespaceObject = {};
__nccwpck_require__.r(operator_namespaceObject);
__nccwpck_require__.d(operator_namespaceObject, {
  "!=": () => (operator_ne),
  "<": () => (operator_lt),
  "<=": () => (operator_le),
  "==": () => (eq),
  "===": () => (arbitrary),
  ">": () => (operator_gt),
  ">=": () => (operator_ge),
  compare: () => (compare),
  eq: () => (eq),
  ge: () => (operator_ge),
  gt: () => (operator_gt),
  le: () => (operator_le),
  lt: () => (operator_lt),
  ne: () => (operator_ne),
  rcompare: () => (rcompare)
});

;// CONCATENATED MODULE: external "node:fs/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
var external_node_path_default = /*#__PURE__*/__nccwpck_require__.n(external_node_path_namespaceObject);
;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: ./src/core/archive/file-list.ts
/** The list's name in the package's top folder. */
const FILE_LIST = 'files.sha256';
// Control characters (C0 and DEL), a quote or a backslash anywhere, or a leading space.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_QUOTING = /[\u0000-\u001f\u007f"\\]|^ /;
function digestMode(entry) {
    return entry.type === 'symlink' ? '120000' : entry.mode === 0o755 ? '100755' : '100644';
}
/** The list's text for the entries the content digest covers (directories are skipped, as the digest skips them). */
function renderFileList(entries) {
    let text = '';
    for (const e of entries) {
        if (e.type === 'directory')
            continue;
        if (e.sha256 === undefined)
            throw new Error(`file list: ${e.path} has not been hashed yet`);
        text += `${digestMode(e)} ${e.sha256} ${NEEDS_QUOTING.test(e.path) ? JSON.stringify(e.path) : e.path}\n`;
    }
    return text;
}
const LINE = /^(100644|100755|120000) ([0-9a-f]{64}) (.+)$/;
/** The list's lines, or the number of the first line that is not one (1-based). */
function parseFileList(text) {
    const files = [];
    if (text !== '' && !text.endsWith('\n'))
        return { badLine: text.split('\n').length };
    const lines = text.split('\n').slice(0, -1);
    for (const [i, line] of lines.entries()) {
        const m = LINE.exec(line);
        if (!m)
            return { badLine: i + 1 };
        let p = m[3];
        if (p.startsWith('"')) {
            try {
                p = JSON.parse(p);
            }
            catch {
                return { badLine: i + 1 };
            }
        }
        files.push({ mode: m[1], sha256: m[2], path: p });
    }
    return { files };
}
/** What differs between the list and the tree's entries (directories ignored), in path order of the tree then the list. */
function compareFileList(listed, entries) {
    const expected = new Map(listed.map((f) => [f.path, f]));
    const differences = [];
    const seen = new Set();
    for (const e of entries) {
        if (e.type === 'directory')
            continue;
        seen.add(e.path);
        const actual = { path: e.path, mode: digestMode(e), sha256: e.sha256 ?? '' };
        const l = expected.get(e.path);
        if (!l)
            differences.push({ path: e.path, kind: 'added', actual });
        else if (l.mode !== actual.mode || l.sha256 !== actual.sha256)
            differences.push({ path: e.path, kind: 'changed', listed: l, actual });
    }
    for (const l of listed)
        if (!seen.has(l.path))
            differences.push({ path: l.path, kind: 'missing', listed: l });
    return differences;
}
/** One difference in words, for an error message. */
function describeDifference(d) {
    const kind = (mode) => (mode === '120000' ? 'a symlink' : mode === '100755' ? 'an executable file' : 'a file');
    switch (d.kind) {
        case 'added':
            return `${d.path} is not in the package's file list (${FILE_LIST}): it was added after packing`;
        case 'missing':
            return `${d.path} is missing: the package was packed with it (${kind(d.listed.mode)}, sha256 ${d.listed.sha256})`;
        case 'changed':
            return d.listed.mode !== d.actual.mode
                ? `${d.path} has changed: it is ${kind(d.actual.mode)}, but was packed as ${kind(d.listed.mode)}`
                : `${d.path} has changed: its sha256 is ${d.actual.sha256}, but it was packed with ${d.listed.sha256}`;
    }
}

;// CONCATENATED MODULE: ./src/core/archive/content-digest.ts
/**
 * The content digest: one sha256 that names what a package holds — every
 * file's and symlink's path, mode and content hash, in path order — and
 * nothing about how it was packed (job id, compressor, mtimes). Two jobs with
 * the same code, data and command have the same content digest whatever
 * their ids. files.sha256 (file-list.ts) lists the same triples, one per line.
 */


function contentDigest(entries) {
    const listed = [];
    for (const e of entries) {
        if (e.type === 'directory')
            continue;
        // Files are hashed by the walk or by the archive writer; digesting before either would silently name nothing.
        if (e.sha256 === undefined)
            throw new Error(`content digest: ${e.path} has not been hashed yet`);
        listed.push({ path: e.path, mode: digestMode(e), sha256: e.sha256 });
    }
    return listedDigest(listed);
}
/** The content digest of a file list's lines (as they stand, in their order). */
function listedDigest(files) {
    const hash = (0,external_node_crypto_namespaceObject.createHash)('sha256');
    for (const f of files)
        hash.update(`${f.mode} ${f.sha256} ${f.path}\0`);
    return `sha256:${hash.digest('hex')}`;
}

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:util"
const external_node_util_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");
;// CONCATENATED MODULE: ./src/core/errors.ts
/**
 * Typed errors. Every error the packager throws on purpose is a
 * JobPackagerError whose message is written for the person who submitted the
 * job: it names what was wrong and what is accepted, and never contains a
 * secret. The two shells (Action, CLI) catch these once, at the edge.
 */
class JobPackagerError extends Error {
    kind;
    constructor(kind, message, options) {
        super(message, options);
        this.name = 'JobPackagerError';
        this.kind = kind;
    }
}
/**
 * The job spec or the options failed validation. It carries every problem
 * found, not just the first, so a user fixes them all in one round.
 */
class SpecError extends JobPackagerError {
    problems;
    constructor(fieldOrProblems, problem = '', accepted = '') {
        const problems = typeof fieldOrProblems === 'string' ? [{ field: fieldOrProblems, problem, accepted }] : fieldOrProblems;
        if (problems.length === 0)
            throw new RangeError('A SpecError needs at least one problem');
        super('invalid-spec', renderProblems(problems));
        this.name = 'SpecError';
        this.problems = problems;
    }
    /** The first problem's field (most errors have exactly one). */
    get field() {
        return this.first.field;
    }
    get problem() {
        return this.first.problem;
    }
    get accepted() {
        return this.first.accepted;
    }
    get first() {
        // The constructor refuses an empty list.
        return this.problems[0];
    }
    /** The same problems with each field named the way a shell's user wrote it. */
    relabel(label) {
        return new SpecError(this.problems.map((p) => ({ ...p, field: label(p.field) })));
    }
}
function renderProblem(p) {
    // "did you mean --commit?" already ends its sentence.
    const stop = /[.?!]$/.test(p.problem) ? '' : '.';
    return `Invalid ${p.field}: ${p.problem}${stop} Accepted: ${p.accepted}.`;
}
function renderProblems(problems) {
    if (problems.length === 1)
        return renderProblem(problems[0]);
    return `${problems.length} problems with the job spec and options:\n${problems.map((p) => `  - ${renderProblem(p)}`).join('\n')}`;
}
/**
 * Collects the SpecErrors of several independent checks, so that one run
 * reports all of them. Other errors pass through at once: they are not about
 * the input.
 */
class ProblemCollector {
    problems = [];
    /** Runs `check`; its SpecError is remembered and `undefined` returned instead. */
    check(check) {
        try {
            return check();
        }
        catch (err) {
            if (!(err instanceof SpecError))
                throw err;
            this.problems.push(...err.problems);
            return undefined;
        }
    }
    add(problem) {
        this.problems.push(problem);
    }
    get size() {
        return this.problems.length;
    }
    /** Throws one SpecError with everything collected, if anything was. */
    throwIfAny() {
        if (this.problems.length > 0)
            throw new SpecError([...this.problems]);
    }
}
class GitError extends JobPackagerError {
    constructor(message, options) {
        super('git', message, options);
        this.name = 'GitError';
    }
}
class DownloadError extends JobPackagerError {
    /** Worth another attempt (network error, 5xx, 408, 429, truncated body). */
    retryable;
    constructor(message, retryable = false, options) {
        super('download', message, options);
        this.name = 'DownloadError';
        this.retryable = retryable;
    }
}
class LimitError extends JobPackagerError {
    constructor(message) {
        super('limit', message);
        this.name = 'LimitError';
    }
}
class UnsafeContentError extends JobPackagerError {
    constructor(message) {
        super('unsafe-content', message);
        this.name = 'UnsafeContentError';
    }
}
class OutputError extends JobPackagerError {
    constructor(message, options) {
        super('output', message, options);
        this.name = 'OutputError';
    }
}
/**
 * A package failed verification: a file differs from what job.json records,
 * one is missing or extra, job.json itself was edited, or the archive's
 * sha256 is not the expected one. `path` names the file (relative to the
 * package's top folder), or the archive itself.
 */
class VerificationError extends JobPackagerError {
    path;
    constructor(path, message) {
        super('verification', message);
        this.name = 'VerificationError';
        this.path = path;
    }
}
/** The container engine is missing, or could not build the image or start the job. */
class EngineError extends JobPackagerError {
    constructor(message, options) {
        super('engine', message, options);
        this.name = 'EngineError';
    }
}
class InterruptedError extends JobPackagerError {
    constructor(message = 'Interrupted: the job was cancelled before it finished; nothing was written.') {
        super('interrupted', message);
        this.name = 'InterruptedError';
    }
}
/** Throws InterruptedError (or the signal's own reason, if it is ours) when the signal has fired. */
function throwIfAborted(signal) {
    if (signal?.aborted)
        throw abortReason(signal);
}
function abortReason(signal) {
    const reason = signal.reason;
    return reason instanceof JobPackagerError ? reason : new InterruptedError();
}

;// CONCATENATED MODULE: external "node:zlib"
const external_node_zlib_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");
var external_node_zlib_default = /*#__PURE__*/__nccwpck_require__.n(external_node_zlib_namespaceObject);
;// CONCATENATED MODULE: ./src/core/archive/block-codec.ts
/**
 * How one block of the archive's byte stream becomes deflate bytes. This is
 * the only code that decides what the compressed archive looks like, and it
 * has one definition: the compression threads (deflate-worker.ts) import
 * `compressBlock` from here, and so does the main thread for archives too
 * small to be worth a thread (parallel-gzip.ts). Two copies could drift
 * apart; one function cannot.
 *
 * The output of `compressBlock` depends only on the block's bytes and the
 * level — never on neighbouring blocks, timing or thread count — which is what
 * keeps archives byte-identical however many threads compressed them.
 */

/** Input bytes per block. Part of the output format: changing it changes every archive's bytes. */
const BLOCK_SIZE = 1024 * 1024;
/** Size of an output buffer: a compressed block is only kept if smaller than the block stored, which is at most this. */
const OUTPUT_SIZE = BLOCK_SIZE + 1024;
/** Largest payload of one stored deflate block (LEN is 16 bits). */
const STORED_MAX = 65535;
/** The incompressibility sample: PIECES pieces of PIECE bytes, spread over the block. */
const PIECE = 4096;
const PIECES = 4;
/**
 * Raw deflate bytes for `input` that end on a byte boundary without the
 * final-block bit (a sync flush: zlib appends an empty stored block), or
 * `null` when the block is to be stored as it is.
 *
 * Incompressible input (already-compressed datasets, images, parquet) is
 * detected from a sample: four 4 KiB pieces spread over the block, deflated
 * together. If the sample does not shrink by at least 1/32, the block is
 * stored without running deflate over the whole of it, so such data costs
 * about a copy instead of a full deflate (which runs at ~40 MB/s on random
 * bytes and gains nothing). One deflate call for the sample, not four:
 * setting up a zlib stream allocates and clears ~300 KB, which costs more
 * than deflating 4 KiB. The sample only decides; a block that passes it is
 * still stored if its compressed form turns out no smaller than storing it.
 */
function compressBlock(input, level) {
    if (input.length >= PIECE * PIECES * 4) {
        const sample = Buffer.allocUnsafe(PIECE * PIECES);
        const step = Math.floor((input.length - PIECE) / (PIECES - 1));
        for (let i = 0; i < PIECES; i++)
            input.copy(sample, i * PIECE, i * step, i * step + PIECE);
        if (external_node_zlib_default().deflateRawSync(sample, { level }).length > sample.length - sample.length / 32)
            return null;
    }
    // One output chunk big enough for any block that is worth compressing, so
    // zlib allocates once per block instead of once per 16 KiB.
    const out = external_node_zlib_default().deflateRawSync(input, { level, finishFlush: (external_node_zlib_default()).constants.Z_SYNC_FLUSH, chunkSize: input.length + 1024 });
    const stored = input.length + 5 * Math.ceil(input.length / STORED_MAX);
    return out.length < stored ? out : null;
}
/**
 * Stored deflate blocks for `input`: a 5-byte header (BFINAL 0, BTYPE 00,
 * already byte-aligned because every block before ends on a byte boundary;
 * LEN; NLEN) before each run of at most 65535 bytes. The payload is not
 * copied: the chunks are views of `input`, written with one writev.
 */
function storedBlocks(input) {
    const chunks = [];
    for (let off = 0; off < input.length; off += STORED_MAX) {
        const len = Math.min(STORED_MAX, input.length - off);
        const header = Buffer.allocUnsafe(5);
        header[0] = 0;
        header.writeUInt16LE(len, 1);
        header.writeUInt16LE(~len & 0xffff, 3);
        chunks.push(header, input.subarray(off, off + len));
    }
    return chunks;
}

;// CONCATENATED MODULE: external "node:url"
const external_node_url_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");
;// CONCATENATED MODULE: external "node:worker_threads"
const external_node_worker_threads_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");
;// CONCATENATED MODULE: ./src/core/archive/deflate-pool.ts
/**
 * Worker threads for the archive: a pool of compressors (deflate-worker.ts)
 * and one hasher (hash-worker.ts). A request is a small message naming shared
 * buffers (worker-protocol.ts); the answer comes back by id.
 *
 * Where the threads' code is: next to the running module. In the bundles
 * (dist/index.js, dist/cli/index.js) that is the bundled worker beside each
 * bundle (dist/deflate-worker.js, dist/cli/deflate-worker.js; see
 * scripts/bundle.mjs). From the sources (jest, tsx) it is the worker's .ts,
 * run under tsx.
 *
 * Lifetime: a worker is ref'd only while it owes an answer. An idle pool
 * therefore never keeps the process alive (a forgotten pool cannot hang the
 * CLI), while a busy one does (Node must not exit 0 halfway through an
 * archive because the main thread happened to be waiting on a thread).
 * `close()` terminates the threads; callers close in a `finally`.
 *
 * Failure: a thread that dies, cannot load its script, or throws outside a
 * request fails every pending and future request, so the archive fails
 * instead of waiting forever.
 */


/**
 * The script of one of the archive's workers. Whether this module runs from
 * its TypeScript source decides which: its own extension, not a look at the
 * disk, so a bundle never reaches for sources or tsx, and sources never pick
 * up a stale build of a worker.
 *
 * The file name is put together at run time on purpose: ncc (webpack) turns
 * `new URL('./literal.js', import.meta.url)` into a hashed copy of the source
 * file, which is not what the bundle is meant to load.
 */
function workerScript(name) {
    const fromSources = new URL(import.meta.url).pathname.endsWith('.ts');
    const url = new URL(`./${name}${fromSources ? '.ts' : '.js'}`, import.meta.url);
    return fromSources ? { url, execArgv: tsxExecArgv() } : { url };
}
let tsxArgs;
/**
 * execArgv that makes a thread run TypeScript (development and tests only;
 * tsx is a devDependency). `--import tsx` is not enough on Node 20: tsx
 * registers its loader only on the main thread there, and loader hooks do not
 * reach other threads, so the thread calls tsx's `register()` itself, from a
 * one-line data: module, before its entry loads.
 */
function tsxExecArgv() {
    if (!tsxArgs) {
        let api;
        try {
            api = import.meta.resolve('tsx/esm/api');
        }
        catch (err) {
            throw new Error('Running the archive workers from the TypeScript sources needs tsx (a devDependency); the bundles in dist/ do not.', {
                cause: err
            });
        }
        const preload = `import { register } from ${JSON.stringify(api)}; register()`;
        tsxArgs = ['--import', `data:text/javascript,${encodeURIComponent(preload)}`];
    }
    return tsxArgs;
}
/** A request the thread answered with an error (the thread itself is fine). */
class RequestError extends Error {
}
class WorkerPool {
    perWorker;
    workers = [];
    /** Requests each worker owes an answer to, in the order sent. */
    owed = new Map();
    queue = [];
    failure;
    nextId = 0;
    /**
     * @param perWorker how many requests a worker may hold at once: 1 spreads
     *   blocks over idle compressors; Infinity lets the single hasher queue
     *   its ordered stream without a round trip per message.
     */
    constructor(script, size, name, perWorker) {
        this.perWorker = perWorker;
        if (!Number.isInteger(size) || size < 1)
            throw new RangeError(`A worker pool needs at least one thread, got ${size}`);
        const where = script.url.protocol === 'file:' ? (0,external_node_url_namespaceObject.fileURLToPath)(script.url) : script.url.href;
        for (let i = 0; i < size; i++) {
            const worker = new external_node_worker_threads_namespaceObject.Worker(script.url, { name, execArgv: script.execArgv });
            worker.unref();
            worker.on('message', (msg) => this.onReply(worker, msg));
            worker.on('error', (err) => this.fail(new Error(`A ${name} thread failed (${where}): ${err.message}`, { cause: err })));
            worker.on('messageerror', (err) => this.fail(err));
            worker.on('exit', (code) => this.fail(new Error(`A ${name} thread exited unexpectedly (code ${code}; ${where}).`)));
            this.workers.push(worker);
            this.owed.set(worker, []);
        }
    }
    request(task) {
        if (this.failure !== undefined)
            return Promise.reject(this.failure);
        return new Promise((resolve, reject) => {
            this.queue.push({ id: this.nextId++, task, resolve, reject });
            this.dispatch();
        });
    }
    /** Terminates the threads and fails whatever is still pending. Safe to call more than once. */
    async close() {
        this.fail(new Error('The worker threads were closed.'));
        await Promise.all(this.workers.map((w) => w.terminate()));
    }
    dispatch() {
        while (this.queue.length > 0) {
            // The least busy worker; ties go to the first, so the choice is stable.
            let best;
            for (const w of this.workers)
                if (this.owed.get(w).length < this.perWorker && (!best || this.owed.get(w).length < this.owed.get(best).length))
                    best = w;
            if (!best)
                return;
            const pending = this.queue.shift();
            const owed = this.owed.get(best);
            if (owed.length === 0)
                best.ref();
            owed.push(pending);
            best.postMessage({ id: pending.id, task: pending.task });
        }
    }
    onReply(worker, msg) {
        const owed = this.owed.get(worker);
        const pending = owed.shift();
        if (!pending || pending.id !== msg.id) {
            this.fail(new Error('A worker thread answered out of turn.'));
            return;
        }
        if (owed.length === 0)
            worker.unref();
        if (msg.ok)
            pending.resolve(msg.result);
        else
            pending.reject(new RequestError(msg.error));
        this.dispatch();
    }
    /** The first failure wins; everything pending is rejected with it. */
    fail(err) {
        if (this.failure !== undefined)
            return;
        this.failure = err;
        for (const pending of [...[...this.owed.values()].flat(), ...this.queue])
            pending.reject(err);
        for (const owed of this.owed.values())
            owed.length = 0;
        this.queue.length = 0;
        for (const w of this.workers)
            w.unref();
    }
}
/** Compressors: `size` threads, each holding one block at a time. */
class DeflatePool {
    size;
    pool;
    /** @param script the compressor's code; only tests pass another. */
    constructor(size, script = workerScript('deflate-worker')) {
        this.size = size;
        this.pool = new WorkerPool(script, size, 'job-packager-deflate', 1);
    }
    /** Compresses `length` bytes of `input` into `output`; neither may be touched until this settles. */
    async run(input, length, output, level) {
        try {
            return await this.pool.request({ input, length, output, level });
        }
        catch (err) {
            throw err instanceof RequestError ? new Error(`Compressing a block failed: ${err.message}`, { cause: err }) : err;
        }
    }
    close() {
        return this.pool.close();
    }
}
/** One thread hashing file contents, in the order the ranges are given. */
class HashWorker {
    pool;
    /** @param script the hasher's code; only tests pass another. */
    constructor(script = workerScript('hash-worker')) {
        this.pool = new WorkerPool(script, 1, 'job-packager-hash', Infinity);
    }
    /** Hashes ranges of `input` into their files' hashes; resolves when `input` may be reused. */
    async update(input, ranges) {
        await this.pool.request({ op: 'update', input, ranges });
    }
    /** The file's sha256, once every range before this call has been hashed. */
    async digest(file) {
        const hex = await this.pool.request({ op: 'digest', file });
        if (typeof hex !== 'string')
            throw new Error('The hashing thread answered a digest without a hash.');
        return hex;
    }
    close() {
        return this.pool.close();
    }
}

;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
var external_node_os_default = /*#__PURE__*/__nccwpck_require__.n(external_node_os_namespaceObject);
;// CONCATENATED MODULE: ./src/core/archive/crc32.ts
/**
 * Joining CRC-32s (the gzip trailer's checksum) of blocks computed apart:
 * each worker takes the CRC of its own block with zlib.crc32, and the main
 * thread joins them in order with `crc32Combine`, which costs a few hundred
 * operations per block instead of a pass over the bytes. (zlib has
 * crc32_combine, but Node does not expose it.)
 *
 * The arithmetic: a CRC is the message as a polynomial over GF(2), times x^32,
 * modulo the generator P. Appending n zero bytes to A multiplies its CRC
 * register by x^(8n) mod P, so crc(A ‖ B) = crc(A) · x^(8·|B|) mod P  ⊕  crc(B)
 * (the initial and final inversions of the standard CRC cancel out in this
 * form). Polynomials are held bit-reflected, as in the CRC itself: bit 31 is
 * the coefficient of x^0, bit 0 that of x^31.
 */
/** The CRC-32 generator, reflected. */
const P = 0xedb88320;
/** x^0 in reflected form. */
const ONE = 0x80000000;
/** a · b mod P. */
function mulMod(a, b) {
    let product = 0;
    for (let bit = ONE; bit !== 0; bit >>>= 1) {
        if (a & bit)
            product ^= b;
        // b · x mod P: a shift toward higher powers is a right shift in reflected form.
        b = b & 1 ? (b >>> 1) ^ P : b >>> 1;
    }
    return product >>> 0;
}
/** x^(8 · 2^k) mod P for k = 0..63, built by squaring. */
const POWERS = (() => {
    const out = [];
    let p = ONE >>> 8; // x^8
    for (let k = 0; k < 64; k++) {
        out.push(p);
        p = mulMod(p, p);
    }
    return out;
})();
/** x^(8n) mod P: the operator that appends n zero bytes. */
function shiftOperator(n) {
    let op = ONE;
    for (let k = 0; n > 0; k++, n = Math.floor(n / 2))
        if (n % 2 === 1)
            op = mulMod(op, POWERS[k]);
    return op;
}
const operators = new Map();
/** The CRC of A ‖ B from crc(A), crc(B) and B's length. */
function crc32Combine(crcA, crcB, lengthB) {
    let op = operators.get(lengthB);
    if (op === undefined) {
        op = shiftOperator(lengthB);
        // Almost every block has the same length; remember a few.
        if (operators.size < 16)
            operators.set(lengthB, op);
    }
    return (mulMod(op, crcA) ^ crcB) >>> 0;
}

;// CONCATENATED MODULE: ./src/core/archive/parallel-gzip.ts
/**
 * Parallel gzip with output that does not depend on the number of threads.
 *
 * The format: one ordinary gzip member (10-byte header, deflate stream, CRC-32
 * and length), so every gzip reader reads it — GNU gzip and tar, Python,
 * Go's compress/gzip, Node's zlib — with no multi-member handling needed. Its
 * deflate stream is the concatenation of independently compressed blocks of
 * BLOCK_SIZE input bytes:
 *
 *   header | block 0 | block 1 | … | block n-1 | empty final block | crc32 isize
 *
 * Each block is raw deflate ending in a sync flush (so it ends on a byte
 * boundary and does not set BFINAL), or stored blocks when it does not
 * compress. No block uses another's bytes as a dictionary, so each can be
 * compressed on any thread at any time and the bytes come out the same; the
 * price is that matches cannot reach back across a 1 MiB boundary, which
 * costs about 0.15% of size on CSV-like text (measured against one zlib
 * stream at the same level; still ~2% smaller than GNU gzip -6). Each worker also takes its block's CRC-32;
 * the main thread joins them in order (crc32.ts).
 *
 * Memory is flat: blocks live in a fixed set of shared buffers (input and
 * output), at most `2 × threads + 2` of them, allocated once and reused: a
 * block is held from `acquire()` until its output is written (and whatever
 * else the caller tied to it, such as hashing, is done), so a fast reader
 * waits in `acquire()` for slow compression, and slow disks hold back both.
 */





/**
 * Default ceiling on compression threads. Each thread costs ~15 MB (a V8
 * isolate and its blocks); at ~23 MB/s of level-6 deflate per thread, eight
 * already outrun most disks and networks, and memory stays flat on a
 * 64-core runner too.
 */
const MAX_DEFAULT_THREADS = 8;
/**
 * Threads to use when the caller does not say: one per core, up to
 * MAX_DEFAULT_THREADS; or JOB_PACKAGER_THREADS (a knob for the benchmark and
 * tests; it changes speed, never the bytes).
 */
function defaultThreads() {
    const fromEnv = Number(process.env.JOB_PACKAGER_THREADS);
    if (Number.isInteger(fromEnv) && fromEnv >= 1 && fromEnv <= 256)
        return fromEnv;
    return Math.min(MAX_DEFAULT_THREADS, Math.max(1, external_node_os_default().availableParallelism()));
}
/** The gzip header: no name, no mtime (0), XFL as zlib sets it for the level, OS "Unix" on every platform so the bytes do not depend on it. */
function gzipHeader(level) {
    const xfl = level === 9 ? 2 : level === 1 ? 4 : 0;
    return Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, xfl, 0x03]);
}
/** An empty fixed-Huffman block with BFINAL set: bits 1,1,0 then the 7-bit end-of-block code. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);
/**
 * Feeds a gzip member block by block. Usage: `acquire()` a buffer, fill it
 * (a full BLOCK_SIZE, except for the last block), `submit()` it, repeat;
 * then `finish()`; always `close()` in a finally.
 */
class BlockGzip {
    options;
    blockSize = BLOCK_SIZE;
    pool;
    maxBlocks;
    slots = new Map();
    free = [];
    waiters = [];
    /** Resolves when every block submitted so far has been written, in order. */
    tail = Promise.resolve();
    failure;
    /** Blocks handed to the sink whose write (or hold) has not settled yet. */
    inFlight = new Set();
    crc = 0;
    isize = 0;
    lastPartial = false;
    onAbort = () => {
        this.fail(this.options.signal?.reason);
        void this.pool?.close();
    };
    constructor(options) {
        this.options = options;
        if (!Number.isInteger(options.level) || options.level < 1 || options.level > 9)
            throw new RangeError(`gzip level must be 1-9, got ${options.level}`);
        this.pool = options.threads > 0 ? new DeflatePool(options.threads) : undefined;
        this.maxBlocks = 2 * Math.max(1, options.threads) + 2;
        this.tail = this.step(() => options.sink.write([gzipHeader(options.level)]));
        options.signal?.addEventListener('abort', this.onAbort, { once: true });
        if (options.signal?.aborted)
            this.onAbort();
    }
    /**
     * A buffer of `blockSize` bytes to fill; waits while too many blocks are in
     * flight. With workers its memory is a SharedArrayBuffer (`.buffer`), which
     * the caller may hand to other threads that read the block (see `submit`).
     */
    async acquire() {
        for (;;) {
            this.throwIfFailed();
            const buf = this.free.pop();
            if (buf)
                return buf;
            if (this.slots.size < this.maxBlocks) {
                const slot = this.pool
                    ? { input: new SharedArrayBuffer(this.blockSize), output: new SharedArrayBuffer(OUTPUT_SIZE) }
                    : { input: new ArrayBuffer(this.blockSize) };
                const block = Buffer.from(slot.input);
                this.slots.set(block, slot);
                return block;
            }
            await new Promise((resolve) => this.waiters.push(resolve));
        }
    }
    /**
     * Hands over the first `length` bytes of `block`. The block comes back to
     * `acquire()` once its output is written and `hold` (other readers of the
     * block, e.g. a hashing thread) has settled; a rejected `hold` fails the run.
     */
    submit(block, length, hold) {
        this.throwIfFailed();
        const slot = this.slots.get(block);
        if (!slot)
            throw new Error('submit() takes a buffer from acquire()');
        if (length < 1 || length > this.blockSize)
            throw new RangeError(`block length ${length}`);
        // Only the last block may be short: block boundaries are part of the output format.
        if (this.lastPartial)
            throw new Error('a short block was already submitted; it must be the last');
        this.lastPartial = length < this.blockSize;
        this.isize = (this.isize + length) % 0x1_0000_0000;
        const input = block.subarray(0, length);
        const level = this.options.level;
        let result;
        if (this.pool && slot.output) {
            const output = slot.output;
            result = this.pool.run(slot.input, length, output, level).then((r) => ({
                out: r.outLength < 0 ? null : Buffer.from(output, 0, r.outLength),
                crc: r.crc
            }));
        }
        else {
            result = Promise.resolve().then(() => ({ out: compressBlock(input, level), crc: external_node_zlib_default().crc32(input) }));
        }
        // Rejections are taken up by the write chain below; this only keeps Node from calling them unhandled meanwhile.
        result.catch(() => undefined);
        hold?.catch(() => undefined);
        this.tail = this.step(async () => {
            const { out, crc } = await result;
            this.crc = crc32Combine(this.crc, crc, length);
            // The order is kept by handing blocks to the sink one after the other;
            // the write itself is not waited for here, only before reusing the block.
            const done = Promise.all([this.options.sink.write(out ? [out] : storedBlocks(input)), hold]);
            this.inFlight.add(done);
            done.then(() => {
                this.inFlight.delete(done);
                this.release(block);
            }, (err) => this.fail(err));
        });
    }
    /** Waits for every block, then writes the final block and the trailer. */
    async finish() {
        this.tail = this.step(async () => {
            const trailer = Buffer.alloc(8);
            trailer.writeUInt32LE(this.crc >>> 0, 0);
            trailer.writeUInt32LE(this.isize, 4);
            await Promise.all([this.options.sink.write([FINAL_BLOCK, trailer]), ...this.inFlight]);
        });
        await this.tail;
        this.throwIfFailed();
    }
    /** Stops the threads. Always call it, also after `finish()`. */
    async close() {
        this.options.signal?.removeEventListener('abort', this.onAbort);
        this.fail(new Error('The compressor was closed.'), true);
        await this.pool?.close();
    }
    /** Chains `fn` after the previous step; once something failed, later steps do nothing. */
    step(fn) {
        return this.tail.then(async () => {
            if (this.failure)
                return;
            try {
                await fn();
            }
            catch (err) {
                this.fail(err);
            }
        });
    }
    release(buf) {
        this.free.push(buf);
        this.waiters.shift()?.();
    }
    fail(error, quiet = false) {
        if (!this.failure)
            this.failure = { error };
        if (quiet)
            return;
        for (const wake of this.waiters.splice(0))
            wake();
    }
    throwIfFailed() {
        if (this.failure)
            throw this.failure.error;
    }
}
/** Gzips a whole buffer (tests, tools). The same bytes as the archive writer produces for the same input. */
async function gzipBuffer(input, options = {}) {
    const chunks = [];
    const gz = new BlockGzip({
        level: options.level ?? 6,
        threads: options.threads ?? defaultThreads(),
        signal: options.signal,
        sink: {
            write: (parts) => {
                for (const p of parts)
                    chunks.push(Buffer.from(p));
                return Promise.resolve();
            }
        }
    });
    try {
        for (let off = 0; off < input.length; off += gz.blockSize) {
            const block = await gz.acquire();
            const n = Math.min(gz.blockSize, input.length - off);
            block.set(input.subarray(off, off + n));
            gz.submit(block, n);
        }
        await gz.finish();
    }
    finally {
        await gz.close();
    }
    return Buffer.concat(chunks);
}

;// CONCATENATED MODULE: external "events"
const external_events_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");
;// CONCATENATED MODULE: external "fs"
const external_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");
;// CONCATENATED MODULE: external "node:events"
const external_node_events_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");
;// CONCATENATED MODULE: external "node:stream"
const external_node_stream_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");
;// CONCATENATED MODULE: external "node:string_decoder"
const external_node_string_decoder_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:string_decoder");
;// CONCATENATED MODULE: external "path"
const external_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");
;// CONCATENATED MODULE: external "assert"
const external_assert_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");
;// CONCATENATED MODULE: external "buffer"
const external_buffer_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");
;// CONCATENATED MODULE: external "zlib"
const external_zlib_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("zlib");
var external_zlib_namespaceObject_0 = /*#__PURE__*/__nccwpck_require__.t(external_zlib_namespaceObject, 2);
;// CONCATENATED MODULE: external "node:assert"
const external_node_assert_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:assert");
;// CONCATENATED MODULE: ./node_modules/tar/dist/esm/index.min.js
var zr=Object.defineProperty;var Ur=(s,t)=>{for(var e in t)zr(s,e,{get:t[e],enumerable:!0})};var Ds=typeof process=="object"&&process?process:{stdout:null,stderr:null},Wr=s=>!!s&&typeof s=="object"&&(s instanceof A||s instanceof external_node_stream_namespaceObject||Gr(s)||Zr(s)),Gr=s=>!!s&&typeof s=="object"&&s instanceof external_node_events_namespaceObject.EventEmitter&&typeof s.pipe=="function"&&s.pipe!==external_node_stream_namespaceObject.Writable.prototype.pipe,Zr=s=>!!s&&typeof s=="object"&&s instanceof external_node_events_namespaceObject.EventEmitter&&typeof s.write=="function"&&typeof s.end=="function",Q=Symbol("EOF"),J=Symbol("maybeEmitEnd"),nt=Symbol("emittedEnd"),De=Symbol("emittingEnd"),qt=Symbol("emittedError"),Ne=Symbol("closed"),Ns=Symbol("read"),Ae=Symbol("flush"),As=Symbol("flushChunk"),z=Symbol("encoding"),Mt=Symbol("decoder"),g=Symbol("flowing"),Qt=Symbol("paused"),Bt=Symbol("resume"),b=Symbol("buffer"),N=Symbol("pipes"),_=Symbol("bufferLength"),bi=Symbol("bufferPush"),Ie=Symbol("bufferShift"),L=Symbol("objectMode"),S=Symbol("destroyed"),_i=Symbol("error"),Oi=Symbol("emitData"),Is=Symbol("emitEnd"),Ti=Symbol("emitEnd2"),Z=Symbol("async"),xi=Symbol("abort"),Ce=Symbol("aborted"),Jt=Symbol("signal"),Rt=Symbol("dataListeners"),C=Symbol("discarded"),jt=s=>Promise.resolve().then(s),Yr=s=>s(),Kr=s=>s==="end"||s==="finish"||s==="prefinish",Vr=s=>s instanceof ArrayBuffer||!!s&&typeof s=="object"&&s.constructor&&s.constructor.name==="ArrayBuffer"&&s.byteLength>=0,$r=s=>!Buffer.isBuffer(s)&&ArrayBuffer.isView(s),Fe=class{src;dest;opts;ondrain;constructor(t,e,i){this.src=t,this.dest=e,this.opts=i,this.ondrain=()=>t[Bt](),this.dest.on("drain",this.ondrain)}unpipe(){this.dest.removeListener("drain",this.ondrain)}proxyErrors(t){}end(){this.unpipe(),this.opts.end&&this.dest.end()}},Li=class extends Fe{unpipe(){this.src.removeListener("error",this.proxyErrors),super.unpipe()}constructor(t,e,i){super(t,e,i),this.proxyErrors=r=>this.dest.emit("error",r),t.on("error",this.proxyErrors)}},Xr=s=>!!s.objectMode,qr=s=>!s.objectMode&&!!s.encoding&&s.encoding!=="buffer",A=class extends external_node_events_namespaceObject.EventEmitter{[g]=!1;[Qt]=!1;[N]=[];[b]=[];[L];[z];[Z];[Mt];[Q]=!1;[nt]=!1;[De]=!1;[Ne]=!1;[qt]=null;[_]=0;[S]=!1;[Jt];[Ce]=!1;[Rt]=0;[C]=!1;writable=!0;readable=!0;constructor(...t){let e=t[0]||{};if(super(),e.objectMode&&typeof e.encoding=="string")throw new TypeError("Encoding and objectMode may not be used together");Xr(e)?(this[L]=!0,this[z]=null):qr(e)?(this[z]=e.encoding,this[L]=!1):(this[L]=!1,this[z]=null),this[Z]=!!e.async,this[Mt]=this[z]?new external_node_string_decoder_namespaceObject.StringDecoder(this[z]):null,e&&e.debugExposeBuffer===!0&&Object.defineProperty(this,"buffer",{get:()=>this[b]}),e&&e.debugExposePipes===!0&&Object.defineProperty(this,"pipes",{get:()=>this[N]});let{signal:i}=e;i&&(this[Jt]=i,i.aborted?this[xi]():i.addEventListener("abort",()=>this[xi]()))}get bufferLength(){return this[_]}get encoding(){return this[z]}set encoding(t){throw new Error("Encoding must be set at instantiation time")}setEncoding(t){throw new Error("Encoding must be set at instantiation time")}get objectMode(){return this[L]}set objectMode(t){throw new Error("objectMode must be set at instantiation time")}get async(){return this[Z]}set async(t){this[Z]=this[Z]||!!t}[xi](){this[Ce]=!0,this.emit("abort",this[Jt]?.reason),this.destroy(this[Jt]?.reason)}get aborted(){return this[Ce]}set aborted(t){}write(t,e,i){if(this[Ce])return!1;if(this[Q])throw new Error("write after end");if(this[S])return this.emit("error",Object.assign(new Error("Cannot call write after a stream was destroyed"),{code:"ERR_STREAM_DESTROYED"})),!0;typeof e=="function"&&(i=e,e="utf8"),e||(e="utf8");let r=this[Z]?jt:Yr;if(!this[L]&&!Buffer.isBuffer(t)){if($r(t))t=Buffer.from(t.buffer,t.byteOffset,t.byteLength);else if(Vr(t))t=Buffer.from(t);else if(typeof t!="string")throw new Error("Non-contiguous data written to non-objectMode stream")}return this[L]?(this[g]&&this[_]!==0&&this[Ae](!0),this[g]?this.emit("data",t):this[bi](t),this[_]!==0&&this.emit("readable"),i&&r(i),this[g]):t.length?(typeof t=="string"&&!(e===this[z]&&!this[Mt]?.lastNeed)&&(t=Buffer.from(t,e)),Buffer.isBuffer(t)&&this[z]&&(t=this[Mt].write(t)),this[g]&&this[_]!==0&&this[Ae](!0),this[g]?this.emit("data",t):this[bi](t),this[_]!==0&&this.emit("readable"),i&&r(i),this[g]):(this[_]!==0&&this.emit("readable"),i&&r(i),this[g])}read(t){if(this[S])return null;if(this[C]=!1,this[_]===0||t===0||t&&t>this[_])return this[J](),null;this[L]&&(t=null),this[b].length>1&&!this[L]&&(this[b]=[this[z]?this[b].join(""):Buffer.concat(this[b],this[_])]);let e=this[Ns](t||null,this[b][0]);return this[J](),e}[Ns](t,e){if(this[L])this[Ie]();else{let i=e;t===i.length||t===null?this[Ie]():typeof i=="string"?(this[b][0]=i.slice(t),e=i.slice(0,t),this[_]-=t):(this[b][0]=i.subarray(t),e=i.subarray(0,t),this[_]-=t)}return this.emit("data",e),!this[b].length&&!this[Q]&&this.emit("drain"),e}end(t,e,i){return typeof t=="function"&&(i=t,t=void 0),typeof e=="function"&&(i=e,e="utf8"),t!==void 0&&this.write(t,e),i&&this.once("end",i),this[Q]=!0,this.writable=!1,(this[g]||!this[Qt])&&this[J](),this}[Bt](){this[S]||(!this[Rt]&&!this[N].length&&(this[C]=!0),this[Qt]=!1,this[g]=!0,this.emit("resume"),this[b].length?this[Ae]():this[Q]?this[J]():this.emit("drain"))}resume(){return this[Bt]()}pause(){this[g]=!1,this[Qt]=!0,this[C]=!1}get destroyed(){return this[S]}get flowing(){return this[g]}get paused(){return this[Qt]}[bi](t){this[L]?this[_]+=1:this[_]+=t.length,this[b].push(t)}[Ie](){return this[L]?this[_]-=1:this[_]-=this[b][0].length,this[b].shift()}[Ae](t=!1){do;while(this[As](this[Ie]())&&this[b].length);!t&&!this[b].length&&!this[Q]&&this.emit("drain")}[As](t){return this.emit("data",t),this[g]}pipe(t,e){if(this[S])return t;this[C]=!1;let i=this[nt];return e=e||{},t===Ds.stdout||t===Ds.stderr?e.end=!1:e.end=e.end!==!1,e.proxyErrors=!!e.proxyErrors,i?e.end&&t.end():(this[N].push(e.proxyErrors?new Li(this,t,e):new Fe(this,t,e)),this[Z]?jt(()=>this[Bt]()):this[Bt]()),t}unpipe(t){let e=this[N].find(i=>i.dest===t);e&&(this[N].length===1?(this[g]&&this[Rt]===0&&(this[g]=!1),this[N]=[]):this[N].splice(this[N].indexOf(e),1),e.unpipe())}addListener(t,e){return this.on(t,e)}on(t,e){let i=super.on(t,e);if(t==="data")this[C]=!1,this[Rt]++,!this[N].length&&!this[g]&&this[Bt]();else if(t==="readable"&&this[_]!==0)super.emit("readable");else if(Kr(t)&&this[nt])super.emit(t),this.removeAllListeners(t);else if(t==="error"&&this[qt]){let r=e;this[Z]?jt(()=>r.call(this,this[qt])):r.call(this,this[qt])}return i}removeListener(t,e){return this.off(t,e)}off(t,e){let i=super.off(t,e);return t==="data"&&(this[Rt]=this.listeners("data").length,this[Rt]===0&&!this[C]&&!this[N].length&&(this[g]=!1)),i}removeAllListeners(t){let e=super.removeAllListeners(t);return(t==="data"||t===void 0)&&(this[Rt]=0,!this[C]&&!this[N].length&&(this[g]=!1)),e}get emittedEnd(){return this[nt]}[J](){!this[De]&&!this[nt]&&!this[S]&&this[b].length===0&&this[Q]&&(this[De]=!0,this.emit("end"),this.emit("prefinish"),this.emit("finish"),this[Ne]&&this.emit("close"),this[De]=!1)}emit(t,...e){let i=e[0];if(t!=="error"&&t!=="close"&&t!==S&&this[S])return!1;if(t==="data")return!this[L]&&!i?!1:this[Z]?(jt(()=>this[Oi](i)),!0):this[Oi](i);if(t==="end")return this[Is]();if(t==="close"){if(this[Ne]=!0,!this[nt]&&!this[S])return!1;let n=super.emit("close");return this.removeAllListeners("close"),n}else if(t==="error"){this[qt]=i,super.emit(_i,i);let n=!this[Jt]||this.listeners("error").length?super.emit("error",i):!1;return this[J](),n}else if(t==="resume"){let n=super.emit("resume");return this[J](),n}else if(t==="finish"||t==="prefinish"){let n=super.emit(t);return this.removeAllListeners(t),n}let r=super.emit(t,...e);return this[J](),r}[Oi](t){for(let i of this[N])i.dest.write(t)===!1&&this.pause();let e=this[C]?!1:super.emit("data",t);return this[J](),e}[Is](){return this[nt]?!1:(this[nt]=!0,this.readable=!1,this[Z]?(jt(()=>this[Ti]()),!0):this[Ti]())}[Ti](){if(this[Mt]){let e=this[Mt].end();if(e){for(let i of this[N])i.dest.write(e);this[C]||super.emit("data",e)}}for(let e of this[N])e.end();let t=super.emit("end");return this.removeAllListeners("end"),t}async collect(){let t=Object.assign([],{dataLength:0});this[L]||(t.dataLength=0);let e=this.promise();return this.on("data",i=>{t.push(i),this[L]||(t.dataLength+=i.length)}),await e,t}async concat(){if(this[L])throw new Error("cannot concat in objectMode");let t=await this.collect();return this[z]?t.join(""):Buffer.concat(t,t.dataLength)}async promise(){return new Promise((t,e)=>{this.on(S,()=>e(new Error("stream destroyed"))),this.on("error",i=>e(i)),this.on("end",()=>t())})}[Symbol.asyncIterator](){this[C]=!1;let t=!1,e=async()=>(this.pause(),t=!0,{value:void 0,done:!0});return{next:()=>{if(t)return e();let r=this.read();if(r!==null)return Promise.resolve({done:!1,value:r});if(this[Q])return e();let n,o,h=d=>{this.off("data",a),this.off("end",l),this.off(S,c),e(),o(d)},a=d=>{this.off("error",h),this.off("end",l),this.off(S,c),this.pause(),n({value:d,done:!!this[Q]})},l=()=>{this.off("error",h),this.off("data",a),this.off(S,c),e(),n({done:!0,value:void 0})},c=()=>h(new Error("stream destroyed"));return new Promise((d,y)=>{o=y,n=d,this.once(S,c),this.once("error",h),this.once("end",l),this.once("data",a)})},throw:e,return:e,[Symbol.asyncIterator](){return this},[Symbol.asyncDispose]:async()=>{}}}[Symbol.iterator](){this[C]=!1;let t=!1,e=()=>(this.pause(),this.off(_i,e),this.off(S,e),this.off("end",e),t=!0,{done:!0,value:void 0}),i=()=>{if(t)return e();let r=this.read();return r===null?e():{done:!1,value:r}};return this.once("end",e),this.once(_i,e),this.once(S,e),{next:i,throw:e,return:e,[Symbol.iterator](){return this},[Symbol.dispose]:()=>{}}}destroy(t){if(this[S])return t?this.emit("error",t):this.emit(S),this;this[S]=!0,this[C]=!0,this[b].length=0,this[_]=0;let e=this;return typeof e.close=="function"&&!this[Ne]&&e.close(),t?this.emit("error",t):this.emit(S),this}static get isStream(){return Wr}};var Jr=external_fs_namespaceObject.writev,ht=Symbol("_autoClose"),H=Symbol("_close"),te=Symbol("_ended"),m=Symbol("_fd"),Ni=Symbol("_finished"),tt=Symbol("_flags"),Ai=Symbol("_flush"),ki=Symbol("_handleChunk"),vi=Symbol("_makeBuf"),ie=Symbol("_mode"),ke=Symbol("_needDrain"),Ut=Symbol("_onerror"),Ht=Symbol("_onopen"),Ii=Symbol("_onread"),Pt=Symbol("_onwrite"),at=Symbol("_open"),U=Symbol("_path"),ot=Symbol("_pos"),Y=Symbol("_queue"),zt=Symbol("_read"),Ci=Symbol("_readSize"),j=Symbol("_reading"),ee=Symbol("_remain"),Fi=Symbol("_size"),ve=Symbol("_write"),gt=Symbol("_writing"),Me=Symbol("_defaultFlag"),bt=Symbol("_errored"),_t=class extends A{[bt]=!1;[m];[U];[Ci];[j]=!1;[Fi];[ee];[ht];constructor(t,e){if(e=e||{},super(e),this.readable=!0,this.writable=!1,typeof t!="string")throw new TypeError("path must be a string");this[bt]=!1,this[m]=typeof e.fd=="number"?e.fd:void 0,this[U]=t,this[Ci]=e.readSize||16*1024*1024,this[j]=!1,this[Fi]=typeof e.size=="number"?e.size:1/0,this[ee]=this[Fi],this[ht]=typeof e.autoClose=="boolean"?e.autoClose:!0,typeof this[m]=="number"?this[zt]():this[at]()}get fd(){return this[m]}get path(){return this[U]}write(){throw new TypeError("this is a readable stream")}end(){throw new TypeError("this is a readable stream")}[at](){external_fs_namespaceObject.open(this[U],"r",(t,e)=>this[Ht](t,e))}[Ht](t,e){t?this[Ut](t):(this[m]=e,this.emit("open",e),this[zt]())}[vi](){return Buffer.allocUnsafe(Math.min(this[Ci],this[ee]))}[zt](){if(!this[j]){this[j]=!0;let t=this[vi]();if(t.length===0)return process.nextTick(()=>this[Ii](null,0,t));external_fs_namespaceObject.read(this[m],t,0,t.length,null,(e,i,r)=>this[Ii](e,i,r))}}[Ii](t,e,i){this[j]=!1,t?this[Ut](t):this[ki](e,i)&&this[zt]()}[H](){if(this[ht]&&typeof this[m]=="number"){let t=this[m];this[m]=void 0,external_fs_namespaceObject.close(t,e=>e?this.emit("error",e):this.emit("close"))}}[Ut](t){this[j]=!0,this[H](),this.emit("error",t)}[ki](t,e){let i=!1;return this[ee]-=t,t>0&&(i=super.write(t<e.length?e.subarray(0,t):e)),(t===0||this[ee]<=0)&&(i=!1,this[H](),super.end()),i}emit(t,...e){switch(t){case"prefinish":case"finish":return!1;case"drain":return typeof this[m]=="number"&&this[zt](),!1;case"error":return this[bt]?!1:(this[bt]=!0,super.emit(t,...e));default:return super.emit(t,...e)}}},Be=class extends _t{[at](){let t=!0;try{this[Ht](null,external_fs_namespaceObject.openSync(this[U],"r")),t=!1}finally{t&&this[H]()}}[zt](){let t=!0;try{if(!this[j]){this[j]=!0;do{let e=this[vi](),i=e.length===0?0:external_fs_namespaceObject.readSync(this[m],e,0,e.length,null);if(!this[ki](i,e))break}while(!0);this[j]=!1}t=!1}finally{t&&this[H]()}}[H](){if(this[ht]&&typeof this[m]=="number"){let t=this[m];this[m]=void 0,external_fs_namespaceObject.closeSync(t),this.emit("close")}}},et=class extends external_events_namespaceObject{readable=!1;writable=!0;[bt]=!1;[gt]=!1;[te]=!1;[Y]=[];[ke]=!1;[U];[ie];[ht];[m];[Me];[tt];[Ni]=!1;[ot];constructor(t,e){e=e||{},super(e),this[U]=t,this[m]=typeof e.fd=="number"?e.fd:void 0,this[ie]=e.mode===void 0?438:e.mode,this[ot]=typeof e.start=="number"?e.start:void 0,this[ht]=typeof e.autoClose=="boolean"?e.autoClose:!0;let i=this[ot]!==void 0?"r+":"w";this[Me]=e.flags===void 0,this[tt]=e.flags===void 0?i:e.flags,this[m]===void 0&&this[at]()}emit(t,...e){if(t==="error"){if(this[bt])return!1;this[bt]=!0}return super.emit(t,...e)}get fd(){return this[m]}get path(){return this[U]}[Ut](t){this[H](),this[gt]=!0,this.emit("error",t)}[at](){external_fs_namespaceObject.open(this[U],this[tt],this[ie],(t,e)=>this[Ht](t,e))}[Ht](t,e){this[Me]&&this[tt]==="r+"&&t&&t.code==="ENOENT"?(this[tt]="w",this[at]()):t?this[Ut](t):(this[m]=e,this.emit("open",e),this[gt]||this[Ai]())}end(t,e){return t&&this.write(t,e),this[te]=!0,!this[gt]&&!this[Y].length&&typeof this[m]=="number"&&this[Pt](null,0),this}write(t,e){return typeof t=="string"&&(t=Buffer.from(t,e)),this[te]?(this.emit("error",new Error("write() after end()")),!1):this[m]===void 0||this[gt]||this[Y].length?(this[Y].push(t),this[ke]=!0,!1):(this[gt]=!0,this[ve](t),!0)}[ve](t){external_fs_namespaceObject.write(this[m],t,0,t.length,this[ot],(e,i)=>this[Pt](e,i))}[Pt](t,e){t?this[Ut](t):(this[ot]!==void 0&&typeof e=="number"&&(this[ot]+=e),this[Y].length?this[Ai]():(this[gt]=!1,this[te]&&!this[Ni]?(this[Ni]=!0,this[H](),this.emit("finish")):this[ke]&&(this[ke]=!1,this.emit("drain"))))}[Ai](){if(this[Y].length===0)this[te]&&this[Pt](null,0);else if(this[Y].length===1)this[ve](this[Y].pop());else{let t=this[Y];this[Y]=[],Jr(this[m],t,this[ot],(e,i)=>this[Pt](e,i))}}[H](){if(this[ht]&&typeof this[m]=="number"){let t=this[m];this[m]=void 0,external_fs_namespaceObject.close(t,e=>e?this.emit("error",e):this.emit("close"))}}},Wt=class extends et{[at](){let t;if(this[Me]&&this[tt]==="r+")try{t=external_fs_namespaceObject.openSync(this[U],this[tt],this[ie])}catch(e){if(e?.code==="ENOENT")return this[tt]="w",this[at]();throw e}else t=external_fs_namespaceObject.openSync(this[U],this[tt],this[ie]);this[Ht](null,t)}[H](){if(this[ht]&&typeof this[m]=="number"){let t=this[m];this[m]=void 0,external_fs_namespaceObject.closeSync(t),this.emit("close")}}[ve](t){let e=!0;try{this[Pt](null,external_fs_namespaceObject.writeSync(this[m],t,0,t.length,this[ot])),e=!1}finally{if(e)try{this[H]()}catch{}}}};var jr=new Map([["C","cwd"],["f","file"],["z","gzip"],["P","preservePaths"],["U","unlink"],["strip-components","strip"],["stripComponents","strip"],["keep-newer","newer"],["keepNewer","newer"],["keep-newer-files","newer"],["keepNewerFiles","newer"],["k","keep"],["keep-existing","keep"],["keepExisting","keep"],["m","noMtime"],["no-mtime","noMtime"],["p","preserveOwner"],["L","follow"],["h","follow"],["onentry","onReadEntry"]]),Fs=s=>!!s.sync&&!!s.file,ks=s=>!s.sync&&!!s.file,vs=s=>!!s.sync&&!s.file,Ms=s=>!s.sync&&!s.file;var Bs=s=>!!s.file;var tn=s=>{let t=jr.get(s);return t||s},se=(s={})=>{if(!s)return{};let t={};for(let[e,i]of Object.entries(s)){let r=tn(e);t[r]=i}return t.chmod===void 0&&t.noChmod===!1&&(t.chmod=!0),delete t.noChmod,t};var K=(s,t,e,i,r)=>Object.assign((n=[],o,h)=>{Array.isArray(n)&&(o=n,n={}),typeof o=="function"&&(h=o,o=void 0),o=o?Array.from(o):[];let a=se(n);if(r?.(a,o),Fs(a)){if(typeof h=="function")throw new TypeError("callback not supported for sync tar functions");return s(a,o)}else if(ks(a)){let l=t(a,o);return h?l.then(()=>h(),h):l}else if(vs(a)){if(typeof h=="function")throw new TypeError("callback not supported for sync tar functions");return e(a,o)}else if(Ms(a)){if(typeof h=="function")throw new TypeError("callback only supported with file option");return i(a,o)}throw new Error("impossible options??")},{syncFile:s,asyncFile:t,syncNoFile:e,asyncNoFile:i,validate:r});var sn=external_zlib_namespaceObject.constants||{ZLIB_VERNUM:4736},M=Object.freeze(Object.assign(Object.create(null),{Z_NO_FLUSH:0,Z_PARTIAL_FLUSH:1,Z_SYNC_FLUSH:2,Z_FULL_FLUSH:3,Z_FINISH:4,Z_BLOCK:5,Z_OK:0,Z_STREAM_END:1,Z_NEED_DICT:2,Z_ERRNO:-1,Z_STREAM_ERROR:-2,Z_DATA_ERROR:-3,Z_MEM_ERROR:-4,Z_BUF_ERROR:-5,Z_VERSION_ERROR:-6,Z_NO_COMPRESSION:0,Z_BEST_SPEED:1,Z_BEST_COMPRESSION:9,Z_DEFAULT_COMPRESSION:-1,Z_FILTERED:1,Z_HUFFMAN_ONLY:2,Z_RLE:3,Z_FIXED:4,Z_DEFAULT_STRATEGY:0,DEFLATE:1,INFLATE:2,GZIP:3,GUNZIP:4,DEFLATERAW:5,INFLATERAW:6,UNZIP:7,BROTLI_DECODE:8,BROTLI_ENCODE:9,Z_MIN_WINDOWBITS:8,Z_MAX_WINDOWBITS:15,Z_DEFAULT_WINDOWBITS:15,Z_MIN_CHUNK:64,Z_MAX_CHUNK:1/0,Z_DEFAULT_CHUNK:16384,Z_MIN_MEMLEVEL:1,Z_MAX_MEMLEVEL:9,Z_DEFAULT_MEMLEVEL:8,Z_MIN_LEVEL:-1,Z_MAX_LEVEL:9,Z_DEFAULT_LEVEL:-1,BROTLI_OPERATION_PROCESS:0,BROTLI_OPERATION_FLUSH:1,BROTLI_OPERATION_FINISH:2,BROTLI_OPERATION_EMIT_METADATA:3,BROTLI_MODE_GENERIC:0,BROTLI_MODE_TEXT:1,BROTLI_MODE_FONT:2,BROTLI_DEFAULT_MODE:0,BROTLI_MIN_QUALITY:0,BROTLI_MAX_QUALITY:11,BROTLI_DEFAULT_QUALITY:11,BROTLI_MIN_WINDOW_BITS:10,BROTLI_MAX_WINDOW_BITS:24,BROTLI_LARGE_MAX_WINDOW_BITS:30,BROTLI_DEFAULT_WINDOW:22,BROTLI_MIN_INPUT_BLOCK_BITS:16,BROTLI_MAX_INPUT_BLOCK_BITS:24,BROTLI_PARAM_MODE:0,BROTLI_PARAM_QUALITY:1,BROTLI_PARAM_LGWIN:2,BROTLI_PARAM_LGBLOCK:3,BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING:4,BROTLI_PARAM_SIZE_HINT:5,BROTLI_PARAM_LARGE_WINDOW:6,BROTLI_PARAM_NPOSTFIX:7,BROTLI_PARAM_NDIRECT:8,BROTLI_DECODER_RESULT_ERROR:0,BROTLI_DECODER_RESULT_SUCCESS:1,BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:2,BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:3,BROTLI_DECODER_PARAM_DISABLE_RING_BUFFER_REALLOCATION:0,BROTLI_DECODER_PARAM_LARGE_WINDOW:1,BROTLI_DECODER_NO_ERROR:0,BROTLI_DECODER_SUCCESS:1,BROTLI_DECODER_NEEDS_MORE_INPUT:2,BROTLI_DECODER_NEEDS_MORE_OUTPUT:3,BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_NIBBLE:-1,BROTLI_DECODER_ERROR_FORMAT_RESERVED:-2,BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_META_NIBBLE:-3,BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_ALPHABET:-4,BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_SAME:-5,BROTLI_DECODER_ERROR_FORMAT_CL_SPACE:-6,BROTLI_DECODER_ERROR_FORMAT_HUFFMAN_SPACE:-7,BROTLI_DECODER_ERROR_FORMAT_CONTEXT_MAP_REPEAT:-8,BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_1:-9,BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_2:-10,BROTLI_DECODER_ERROR_FORMAT_TRANSFORM:-11,BROTLI_DECODER_ERROR_FORMAT_DICTIONARY:-12,BROTLI_DECODER_ERROR_FORMAT_WINDOW_BITS:-13,BROTLI_DECODER_ERROR_FORMAT_PADDING_1:-14,BROTLI_DECODER_ERROR_FORMAT_PADDING_2:-15,BROTLI_DECODER_ERROR_FORMAT_DISTANCE:-16,BROTLI_DECODER_ERROR_DICTIONARY_NOT_SET:-19,BROTLI_DECODER_ERROR_INVALID_ARGUMENTS:-20,BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MODES:-21,BROTLI_DECODER_ERROR_ALLOC_TREE_GROUPS:-22,BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MAP:-25,BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_1:-26,BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_2:-27,BROTLI_DECODER_ERROR_ALLOC_BLOCK_TYPE_TREES:-30,BROTLI_DECODER_ERROR_UNREACHABLE:-31},sn));var rn=external_buffer_namespaceObject.Buffer.concat,zs=Object.getOwnPropertyDescriptor(external_buffer_namespaceObject.Buffer,"concat"),nn=s=>s,Bi=zs?.writable===!0||zs?.set!==void 0?s=>{external_buffer_namespaceObject.Buffer.concat=s?nn:rn}:s=>{},Tt=Symbol("_superWrite"),Gt=class extends Error{code;errno;constructor(t,e){super("zlib: "+t.message,{cause:t}),this.code=t.code,this.errno=t.errno,this.code||(this.code="ZLIB_ERROR"),this.message="zlib: "+t.message,Error.captureStackTrace(this,e??this.constructor)}get name(){return"ZlibError"}},Pi=Symbol("flushFlag"),re=class extends A{#t=!1;#i=!1;#s;#n;#r;#e;#o;get sawError(){return this.#t}get handle(){return this.#e}get flushFlag(){return this.#s}constructor(t,e){if(!t||typeof t!="object")throw new TypeError("invalid options for ZlibBase constructor");if(super(t),this.#s=t.flush??0,this.#n=t.finishFlush??0,this.#r=t.fullFlushFlag??0,typeof external_zlib_namespaceObject_0[e]!="function")throw new TypeError("Compression method not supported: "+e);try{this.#e=new external_zlib_namespaceObject_0[e](t)}catch(i){throw new Gt(i,this.constructor)}this.#o=i=>{this.#t||(this.#t=!0,this.close(),this.emit("error",i))},this.#e?.on("error",i=>this.#o(new Gt(i))),this.once("end",()=>this.close)}close(){this.#e&&(this.#e.close(),this.#e=void 0,this.emit("close"))}reset(){if(!this.#t)return external_assert_namespaceObject(this.#e,"zlib binding closed"),this.#e.reset?.()}flush(t){this.ended||(typeof t!="number"&&(t=this.#r),this.write(Object.assign(external_buffer_namespaceObject.Buffer.alloc(0),{[Pi]:t})))}end(t,e,i){return typeof t=="function"&&(i=t,e=void 0,t=void 0),typeof e=="function"&&(i=e,e=void 0),t&&(e?this.write(t,e):this.write(t)),this.flush(this.#n),this.#i=!0,super.end(i)}get ended(){return this.#i}[Tt](t){return super.write(t)}write(t,e,i){if(typeof e=="function"&&(i=e,e="utf8"),typeof t=="string"&&(t=external_buffer_namespaceObject.Buffer.from(t,e)),this.#t)return;external_assert_namespaceObject(this.#e,"zlib binding closed");let r=this.#e._handle,n=r.close;r.close=()=>{};let o=this.#e.close;this.#e.close=()=>{},Bi(!0);let h;try{let l=typeof t[Pi]=="number"?t[Pi]:this.#s;h=this.#e._processChunk(t,l),Bi(!1)}catch(l){Bi(!1),this.#o(new Gt(l,this.write))}finally{this.#e&&(this.#e._handle=r,r.close=n,this.#e.close=o,this.#e.removeAllListeners("error"))}this.#e&&this.#e.on("error",l=>this.#o(new Gt(l,this.write)));let a;if(h)if(Array.isArray(h)&&h.length>0){let l=h[0];a=this[Tt](external_buffer_namespaceObject.Buffer.from(l));for(let c=1;c<h.length;c++)a=this[Tt](h[c])}else a=this[Tt](external_buffer_namespaceObject.Buffer.from(h));return i&&i(),a}},Pe=class extends re{#t;#i;constructor(t,e){t=t||{},t.flush=t.flush||M.Z_NO_FLUSH,t.finishFlush=t.finishFlush||M.Z_FINISH,t.fullFlushFlag=M.Z_FULL_FLUSH,super(t,e),this.#t=t.level,this.#i=t.strategy}params(t,e){if(!this.sawError){if(!this.handle)throw new Error("cannot switch params when binding is closed");if(!this.handle.params)throw new Error("not supported in this implementation");if(this.#t!==t||this.#i!==e){this.flush(M.Z_SYNC_FLUSH),external_assert_namespaceObject(this.handle,"zlib binding closed");let i=this.handle.flush;this.handle.flush=(r,n)=>{typeof r=="function"&&(n=r,r=this.flushFlag),this.flush(r),n?.()};try{this.handle.params(t,e)}finally{this.handle.flush=i}this.handle&&(this.#t=t,this.#i=e)}}}};var ze=class extends Pe{#t;constructor(t){super(t,"Gzip"),this.#t=t&&!!t.portable}[Tt](t){return this.#t?(this.#t=!1,t[9]=255,super[Tt](t)):super[Tt](t)}};var Ue=class extends Pe{constructor(t){super(t,"Unzip")}},He=class extends re{constructor(t,e){t=t||{},t.flush=t.flush||M.BROTLI_OPERATION_PROCESS,t.finishFlush=t.finishFlush||M.BROTLI_OPERATION_FINISH,t.fullFlushFlag=M.BROTLI_OPERATION_FLUSH,super(t,e)}},We=class extends He{constructor(t){super(t,"BrotliCompress")}},Ge=class extends He{constructor(t){super(t,"BrotliDecompress")}},Ze=class extends re{constructor(t,e){t=t||{},t.flush=t.flush||M.ZSTD_e_continue,t.finishFlush=t.finishFlush||M.ZSTD_e_end,t.fullFlushFlag=M.ZSTD_e_flush,super(t,e)}},Ye=class extends Ze{constructor(t){super(t,"ZstdCompress")}},Ke=class extends Ze{constructor(t){super(t,"ZstdDecompress")}};var Us=(s,t)=>{if(Number.isSafeInteger(s))s<0?an(s,t):hn(s,t);else throw Error("cannot encode number outside of javascript safe integer range");return t},hn=(s,t)=>{t[0]=128;for(var e=t.length;e>1;e--)t[e-1]=s&255,s=Math.floor(s/256)},an=(s,t)=>{t[0]=255;var e=!1;s=s*-1;for(var i=t.length;i>1;i--){var r=s&255;s=Math.floor(s/256),e?t[i-1]=Ws(r):r===0?t[i-1]=0:(e=!0,t[i-1]=Gs(r))}},Hs=s=>{let t=s[0],e=t===128?cn(s.subarray(1,s.length)):t===255?ln(s):null;if(e===null)throw Error("invalid base256 encoding");if(!Number.isSafeInteger(e))throw Error("parsed number outside of javascript safe integer range");return e},ln=s=>{for(var t=s.length,e=0,i=!1,r=t-1;r>-1;r--){var n=Number(s[r]),o;i?o=Ws(n):n===0?o=n:(i=!0,o=Gs(n)),o!==0&&(e-=o*Math.pow(256,t-r-1))}return e},cn=s=>{for(var t=s.length,e=0,i=t-1;i>-1;i--){var r=Number(s[i]);r!==0&&(e+=r*Math.pow(256,t-i-1))}return e},Ws=s=>(255^s)&255,Gs=s=>(255^s)+1&255;var Hi={};Ur(Hi,{code:()=>Ve,isCode:()=>ne,isName:()=>dn,name:()=>oe,normalFsTypes:()=>Ui});var ne=s=>oe.has(s),dn=s=>Ve.has(s),Ui=new Set(["0","","1","2","3","4","5","6","7","D"]),oe=new Map([["0","File"],["","OldFile"],["1","Link"],["2","SymbolicLink"],["3","CharacterDevice"],["4","BlockDevice"],["5","Directory"],["6","FIFO"],["7","ContiguousFile"],["g","GlobalExtendedHeader"],["x","ExtendedHeader"],["A","SolarisACL"],["D","GNUDumpDir"],["I","Inode"],["K","NextFileHasLongLinkpath"],["L","NextFileHasLongPath"],["M","ContinuationFile"],["N","OldGnuLongPath"],["S","SparseFile"],["V","TapeVolumeHeader"],["X","OldExtendedHeader"]]),Ve=new Map(Array.from(oe).map(s=>[s[1],s[0]]));var un=s=>s===void 0||s<0?void 0:s,F=class{cksumValid=!1;needPax=!1;nullBlock=!1;block;path;mode;uid;gid;size;cksum;#t="Unsupported";linkpath;uname;gname;devmaj=0;devmin=0;atime;ctime;mtime;charset;comment;constructor(t,e=0,i,r){Buffer.isBuffer(t)?this.decode(t,e||0,i,r):t&&this.#i(t)}decode(t,e,i,r){if(e||(e=0),!t||!(t.length>=e+512))throw new Error("need 512 bytes for header");let n=xt(t,e+156,1),o=Ui.has(n),h=o?i:void 0,a=o?r:void 0;if(this.path=h?.path??xt(t,e,100),this.mode=h?.mode??a?.mode??lt(t,e+100,8),this.uid=h?.uid??a?.uid??lt(t,e+108,8),this.gid=h?.gid??a?.gid??lt(t,e+116,8),this.size=un(h?.size??a?.size??lt(t,e+124,12)),this.mtime=h?.mtime??a?.mtime??Wi(t,e+136,12),this.cksum=lt(t,e+148,12),a&&this.#i(a,!0),h&&this.#i(h),ne(n)&&(this.#t=n||"0"),this.#t==="0"&&this.path.slice(-1)==="/"&&(this.#t="5"),this.#t==="5"&&(this.size=0),this.linkpath=xt(t,e+157,100),t.subarray(e+257,e+265).toString()==="ustar\x0000")if(this.uname=h?.uname??a?.uname??xt(t,e+265,32),this.gname=h?.gname??a?.gname??xt(t,e+297,32),this.devmaj=h?.devmaj??a?.devmaj??lt(t,e+329,8)??0,this.devmin=h?.devmin??a?.devmin??lt(t,e+337,8)??0,t[e+475]!==0){let c=xt(t,e+345,155);this.path=c+"/"+this.path}else{let c=xt(t,e+345,130);c&&(this.path=c+"/"+this.path),this.atime=i?.atime??r?.atime??Wi(t,e+476,12),this.ctime=i?.ctime??r?.ctime??Wi(t,e+488,12)}let l=256;for(let c=e;c<e+148;c++)l+=t[c];for(let c=e+156;c<e+512;c++)l+=t[c];this.cksumValid=l===this.cksum,this.cksum===void 0&&l===256&&(this.nullBlock=!0)}#i(t,e=!1){Object.assign(this,Object.fromEntries(Object.entries(t).filter(([i,r])=>!(r==null||i==="size"&&Number(r)<0||i==="path"&&e||i==="linkpath"&&e||i==="global"))))}encode(t,e=0){if(t||(t=this.block=Buffer.alloc(512)),this.#t==="Unsupported"&&(this.#t="0"),!(t.length>=e+512))throw new Error("need 512 bytes for header");let i=this.ctime||this.atime?130:155,r=mn(this.path||"",i),n=r[0],o=r[1];this.needPax=!!r[2],this.needPax=Lt(t,e,100,n)||this.needPax,this.needPax=ct(t,e+100,8,this.mode)||this.needPax,this.needPax=ct(t,e+108,8,this.uid)||this.needPax,this.needPax=ct(t,e+116,8,this.gid)||this.needPax,this.needPax=ct(t,e+124,12,this.size)||this.needPax,this.needPax=Gi(t,e+136,12,this.mtime)||this.needPax,t[e+156]=Number(this.#t.codePointAt(0)),this.needPax=Lt(t,e+157,100,this.linkpath)||this.needPax,t.write("ustar\x0000",e+257,8),this.needPax=Lt(t,e+265,32,this.uname)||this.needPax,this.needPax=Lt(t,e+297,32,this.gname)||this.needPax,this.needPax=ct(t,e+329,8,this.devmaj)||this.needPax,this.needPax=ct(t,e+337,8,this.devmin)||this.needPax,this.needPax=Lt(t,e+345,i,o)||this.needPax,t[e+475]!==0?this.needPax=Lt(t,e+345,155,o)||this.needPax:(this.needPax=Lt(t,e+345,130,o)||this.needPax,this.needPax=Gi(t,e+476,12,this.atime)||this.needPax,this.needPax=Gi(t,e+488,12,this.ctime)||this.needPax);let h=256;for(let a=e;a<e+148;a++)h+=t[a];for(let a=e+156;a<e+512;a++)h+=t[a];return this.cksum=h,ct(t,e+148,8,this.cksum),this.cksumValid=!0,this.needPax}get type(){return this.#t==="Unsupported"?this.#t:oe.get(this.#t)}get typeKey(){return this.#t}set type(t){let e=String(Ve.get(t));if(ne(e)||e==="Unsupported")this.#t=e;else if(ne(t))this.#t=t;else throw new TypeError("invalid entry type: "+t)}},mn=(s,t)=>{let i=s,r="",n,o=external_node_path_namespaceObject.posix.parse(s).root||".";if(Buffer.byteLength(i)<100)n=[i,r,!1];else{r=external_node_path_namespaceObject.posix.dirname(i),i=external_node_path_namespaceObject.posix.basename(i);do Buffer.byteLength(i)<=100&&Buffer.byteLength(r)<=t?n=[i,r,!1]:Buffer.byteLength(i)>100&&Buffer.byteLength(r)<=t?n=[i.slice(0,99),r,!0]:(i=external_node_path_namespaceObject.posix.join(external_node_path_namespaceObject.posix.basename(r),i),r=external_node_path_namespaceObject.posix.dirname(r));while(r!==o&&n===void 0);n||(n=[s.slice(0,99),"",!0])}return n},xt=(s,t,e)=>s.subarray(t,t+e).toString("utf8").replace(/\0.*/,""),Wi=(s,t,e)=>pn(lt(s,t,e)),pn=s=>s===void 0?void 0:new Date(s*1e3),lt=(s,t,e)=>Number(s[t])&128?Hs(s.subarray(t,t+e)):wn(s,t,e),En=s=>isNaN(s)?void 0:s,wn=(s,t,e)=>En(parseInt(s.subarray(t,t+e).toString("utf8").replace(/\0.*$/,"").trim(),8)),Sn={12:8589934591,8:2097151},ct=(s,t,e,i)=>i===void 0?!1:i>Sn[e]||i<0?(Us(i,s.subarray(t,t+e)),!0):(yn(s,t,e,i),!1),yn=(s,t,e,i)=>s.write(Rn(i,e),t,e,"ascii"),Rn=(s,t)=>gn(Math.floor(s).toString(8),t),gn=(s,t)=>(s.length===t-1?s:new Array(t-s.length-1).join("0")+s+" ")+"\0",Gi=(s,t,e,i)=>i===void 0?!1:ct(s,t,e,i.getTime()/1e3),bn=new Array(156).join("\0"),Lt=(s,t,e,i)=>i===void 0?!1:(s.write(i+bn,t,e,"utf8"),i.length!==Buffer.byteLength(i)||i.length>e);var ft=class s{atime;mtime;ctime;charset;comment;gid;uid;gname;uname;linkpath;dev;ino;nlink;path;size;mode;global;constructor(t,e=!1){this.atime=t.atime,this.charset=t.charset,this.comment=t.comment,this.ctime=t.ctime,this.dev=t.dev,this.gid=t.gid,this.global=e,this.gname=t.gname,this.ino=t.ino,this.linkpath=t.linkpath,this.mtime=t.mtime,this.nlink=t.nlink,this.path=t.path,this.size=t.size,this.uid=t.uid,this.uname=t.uname}encode(){let t=this.encodeBody();if(t==="")return Buffer.allocUnsafe(0);let e=Buffer.byteLength(t),i=512*Math.ceil(1+e/512),r=Buffer.allocUnsafe(i);for(let n=0;n<512;n++)r[n]=0;new F({path:("PaxHeader/"+(0,external_node_path_namespaceObject.basename)(this.path??"")).slice(0,99),mode:this.mode||420,uid:this.uid,gid:this.gid,size:e,mtime:this.mtime,type:this.global?"GlobalExtendedHeader":"ExtendedHeader",linkpath:"",uname:this.uname||"",gname:this.gname||"",devmaj:0,devmin:0,atime:this.atime,ctime:this.ctime}).encode(r),r.write(t,512,e,"utf8");for(let n=e+512;n<r.length;n++)r[n]=0;return r}encodeBody(){return this.encodeField("path")+this.encodeField("ctime")+this.encodeField("atime")+this.encodeField("dev")+this.encodeField("ino")+this.encodeField("nlink")+this.encodeField("charset")+this.encodeField("comment")+this.encodeField("gid")+this.encodeField("gname")+this.encodeField("linkpath")+this.encodeField("mtime")+this.encodeField("size")+this.encodeField("uid")+this.encodeField("uname")}encodeField(t){if(this[t]===void 0)return"";let e=this[t],i=e instanceof Date?e.getTime()/1e3:e,r=" "+(t==="dev"||t==="ino"||t==="nlink"?"SCHILY.":"")+t+"="+i+`
`,n=Buffer.byteLength(r),o=Math.floor(Math.log(n)/Math.log(10))+1;return n+o>=Math.pow(10,o)&&(o+=1),o+n+r}static parse(t,e,i=!1){return new s(On(Tn(t),e),i)}},On=(s,t)=>t?Object.assign({},t,s):s,Tn=s=>s.replace(/\n$/,"").split(`
`).reduce(xn,Object.create(null)),xn=(s,t)=>{let e=parseInt(t,10);if(e!==Buffer.byteLength(t)+1)return s;t=t.slice((e+" ").length);let i=t.split("="),r=i.shift();if(!r)return s;let n=r.replace(/^SCHILY\.(dev|ino|nlink)/,"$1"),o=i.join("=").replace(/\0.*/,"");switch(n){case"path":case"linkpath":case"type":case"charset":case"comment":case"gname":case"uname":s[n]=o;break;case"ctime":case"atime":case"mtime":s[n]=new Date(Number(o)*1e3);break;case"size":let h=+o;h>=0&&(s[n]=h);break;case"gid":case"uid":case"dev":case"ino":case"nlink":case"mode":s[n]=+o;break}return s};var Ln=process.env.TESTING_TAR_FAKE_PLATFORM||process.platform,f=Ln!=="win32"?s=>String(s):s=>String(s).replaceAll(/\\/g,"/");var $e=class extends A{extended;globalExtended;header;startBlockSize;blockRemain;remain;type;meta=!1;ignore=!1;path;mode;uid;gid;uname;gname;size=0;mtime;atime;ctime;linkpath;dev;ino;nlink;invalid=!1;absolute;unsupported=!1;constructor(t,e,i){switch(super({}),this.pause(),this.extended=e,this.globalExtended=i,this.header=t,this.remain=t.size??0,this.startBlockSize=512*Math.ceil(this.remain/512),this.blockRemain=this.startBlockSize,this.type=t.type,this.type){case"File":case"OldFile":case"Link":case"SymbolicLink":case"CharacterDevice":case"BlockDevice":case"Directory":case"FIFO":case"ContiguousFile":case"GNUDumpDir":break;case"NextFileHasLongLinkpath":case"NextFileHasLongPath":case"OldGnuLongPath":case"GlobalExtendedHeader":case"ExtendedHeader":case"OldExtendedHeader":this.meta=!0;break;default:this.ignore=!0}if(!t.path)throw new Error("no path provided for tar.ReadEntry");this.path=f(t.path),this.mode=t.mode,this.mode&&(this.mode=this.mode&4095),this.uid=t.uid,this.gid=t.gid,this.uname=t.uname,this.gname=t.gname,this.size=this.remain,this.mtime=t.mtime,this.atime=t.atime,this.ctime=t.ctime,this.linkpath=t.linkpath?f(t.linkpath):void 0,this.uname=t.uname,this.gname=t.gname,e&&this.#t(e),i&&this.#t(i,!0)}write(t){let e=t.length;if(e>this.blockRemain)throw new Error("writing more to entry than is appropriate");let i=this.remain,r=this.blockRemain;return this.remain=Math.max(0,i-e),this.blockRemain=Math.max(0,r-e),this.ignore?!0:i>=e?super.write(t):super.write(t.subarray(0,i))}#t(t,e=!1){t.path&&(t.path=f(t.path)),t.linkpath&&(t.linkpath=f(t.linkpath)),Object.assign(this,Object.fromEntries(Object.entries(t).filter(([i,r])=>!(r==null||i==="path"&&e))))}};var Dt=(s,t,e,i={})=>{s.file&&(i.file=s.file),s.cwd&&(i.cwd=s.cwd),i.code=e instanceof Error&&e.code||t,i.tarCode=t,!s.strict&&i.recoverable!==!1?(e instanceof Error&&(i=Object.assign(e,i),e=e.message),s.emit("warn",t,e,i)):e instanceof Error?s.emit("error",Object.assign(e,i)):s.emit("error",Object.assign(new Error(`${t}: ${e}`),i))};var Nn=1024*1024,Xi=Buffer.from([31,139]),qi=Buffer.from([40,181,47,253]),An=Math.max(Xi.length,qi.length),B=Symbol("state"),Nt=Symbol("writeEntry"),it=Symbol("readEntry"),Zi=Symbol("nextEntry"),Zs=Symbol("processEntry"),V=Symbol("extendedHeader"),he=Symbol("globalExtendedHeader"),dt=Symbol("meta"),Ys=Symbol("emitMeta"),p=Symbol("buffer"),st=Symbol("queue"),ut=Symbol("ended"),Yi=Symbol("emittedEnd"),At=Symbol("emit"),w=Symbol("unzip"),Xe=Symbol("consumeChunk"),qe=Symbol("consumeChunkSub"),Ki=Symbol("consumeBody"),Ks=Symbol("consumeMeta"),Vs=Symbol("consumeHeader"),ae=Symbol("consuming"),Vi=Symbol("bufferConcat"),Qe=Symbol("maybeEnd"),Yt=Symbol("writing"),$=Symbol("aborted"),Je=Symbol("onDone"),It=Symbol("sawValidEntry"),je=Symbol("sawNullBlock"),ti=Symbol("sawEOF"),$s=Symbol("closeStream"),In=1e3,le=Symbol("compressedBytesRead"),$i=Symbol("decompressedBytesRead"),Xs=Symbol("checkDecompressionRatio"),Cn=()=>!0,rt=class extends external_events_namespaceObject.EventEmitter{file;strict;maxMetaEntrySize;filter;brotli;zstd;maxDecompressionRatio;writable=!0;readable=!1;[st]=[];[p];[it];[Nt];[B]="begin";[dt]="";[V];[he];[ut]=!1;[w];[$]=!1;[It];[je]=!1;[ti]=!1;[Yt]=!1;[ae]=!1;[Yi]=!1;[le]=0;[$i]=0;constructor(t={}){super(),this.file=t.file||"",this.on(Je,()=>{(this[B]==="begin"||this[It]===!1)&&this.warn("TAR_BAD_ARCHIVE","Unrecognized archive format")}),t.ondone?this.on(Je,t.ondone):this.on(Je,()=>{this.emit("prefinish"),this.emit("finish"),this.emit("end")}),this.strict=!!t.strict,this.maxDecompressionRatio=typeof t.maxDecompressionRatio=="number"?t.maxDecompressionRatio:In,this.maxMetaEntrySize=t.maxMetaEntrySize||Nn,this.filter=typeof t.filter=="function"?t.filter:Cn;let e=t.file&&(t.file.endsWith(".tar.br")||t.file.endsWith(".tbr"));this.brotli=!(t.gzip||t.zstd)&&t.brotli!==void 0?t.brotli:e?void 0:!1;let i=t.file&&(t.file.endsWith(".tar.zst")||t.file.endsWith(".tzst"));this.zstd=!(t.gzip||t.brotli)&&t.zstd!==void 0?t.zstd:i?!0:void 0,this.on("end",()=>this[$s]()),typeof t.onwarn=="function"&&this.on("warn",t.onwarn),typeof t.onReadEntry=="function"&&this.on("entry",t.onReadEntry)}warn(t,e,i={}){Dt(this,t,e,i)}[Vs](t,e){this[It]===void 0&&(this[It]=!1);let i;try{i=new F(t,e,this[V],this[he])}catch(r){return this.warn("TAR_ENTRY_INVALID",r)}if(i.nullBlock)this[je]?(this[ti]=!0,this[B]==="begin"&&(this[B]="header"),this[At]("eof")):(this[je]=!0,this[At]("nullBlock"));else if(this[je]=!1,!i.cksumValid)this.warn("TAR_ENTRY_INVALID","checksum failure",{header:i});else if(!i.path)this.warn("TAR_ENTRY_INVALID","path is required",{header:i});else{let r=i.type;if(/^(Symbolic)?Link$/.test(r)&&!i.linkpath)this.warn("TAR_ENTRY_INVALID","linkpath required",{header:i});else if(!/^(Symbolic)?Link$/.test(r)&&!/^(Global)?ExtendedHeader$/.test(r)&&i.linkpath)this.warn("TAR_ENTRY_INVALID","linkpath forbidden",{header:i});else{let n=this[Nt]=new $e(i,this[V],this[he]);if(!this[It])if(n.remain){let o=()=>{n.invalid||(this[It]=!0)};n.on("end",o)}else this[It]=!0;n.meta?n.size>this.maxMetaEntrySize?(n.ignore=!0,this[At]("ignoredEntry",n),this[B]="ignore",n.resume()):n.size>0&&(this[dt]="",n.on("data",o=>this[dt]+=o),this[B]="meta"):(this[V]=void 0,n.ignore=n.ignore||!this.filter(n.path,n),n.ignore?(this[At]("ignoredEntry",n),this[B]=n.remain?"ignore":"header",n.resume()):(n.remain?this[B]="body":(this[B]="header",n.end()),this[it]?this[st].push(n):(this[st].push(n),this[Zi]())))}}}[$s](){queueMicrotask(()=>this.emit("close"))}[Zs](t){let e=!0;if(!t)this[it]=void 0,e=!1;else if(Array.isArray(t)){let[i,...r]=t;this.emit(i,...r)}else this[it]=t,this.emit("entry",t),t.emittedEnd||(t.on("end",()=>this[Zi]()),e=!1);return e}[Zi](){do;while(this[Zs](this[st].shift()));if(this[st].length===0){let t=this[it];!t||t.flowing||t.size===t.remain?this[Yt]||this.emit("drain"):t.once("drain",()=>this.emit("drain"))}}[Ki](t,e){let i=this[Nt];if(!i)throw new Error("attempt to consume body without entry??");let r=i.blockRemain??0,n=r>=t.length&&e===0?t:t.subarray(e,e+r);return i.write(n),i.blockRemain||(this[B]="header",this[Nt]=void 0,i.end()),n.length}[Ks](t,e){let i=this[Nt],r=this[Ki](t,e);return!this[Nt]&&i&&this[Ys](i),r}[At](t,e,i){this[st].length===0&&!this[it]?this.emit(t,e,i):this[st].push([t,e,i])}[Ys](t){switch(this[At]("meta",this[dt]),t.type){case"ExtendedHeader":case"OldExtendedHeader":this[V]=ft.parse(this[dt],this[V],!1);break;case"GlobalExtendedHeader":this[he]=ft.parse(this[dt],this[he],!0);break;case"NextFileHasLongPath":case"OldGnuLongPath":{let e=this[V]??Object.create(null);this[V]=e,e.path=this[dt].replace(/\0.*/,"");break}case"NextFileHasLongLinkpath":{let e=this[V]||Object.create(null);this[V]=e,e.linkpath=this[dt].replace(/\0.*/,"");break}default:throw new Error("unknown meta: "+t.type)}}abort(t){if(!this[$]){if(this[w]){let e=this[w];e.write=()=>!0,e.end=()=>e,e.emit=()=>!1,e.destroy?.()}this[$]=!0,this.emit("abort",t),this.warn("TAR_ABORT",t,{recoverable:!1})}}[Xs](t){this[$i]+=t.length;let e=this[$i]/this[le];return e>this.maxDecompressionRatio?(this.abort(new Error(`max decompression ratio exceeded: ${e.toFixed(2)} > ${this.maxDecompressionRatio}`)),!1):!0}write(t,e,i){if(typeof e=="function"&&(i=e,e=void 0),typeof t=="string"&&(t=Buffer.from(t,typeof e=="string"?e:"utf8")),this[$])return i?.(),!1;if((this[w]===void 0||this.brotli===void 0&&this[w]===!1)&&t){if(this[p]&&(t=Buffer.concat([this[p],t]),this[p]=void 0),t.length<An)return this[p]=t,i?.(),!0;for(let a=0;this[w]===void 0&&a<Xi.length;a++)t[a]!==Xi[a]&&(this[w]=!1);let o=!1;if(this[w]===!1&&this.zstd!==!1){o=!0;for(let a=0;a<qi.length;a++)if(t[a]!==qi[a]){o=!1;break}}let h=this.brotli===void 0&&!o;if(this[w]===!1&&h)if(t.length<512)if(this[ut])this.brotli=!0;else return this[p]=t,i?.(),!0;else try{new F(t.subarray(0,512)),this.brotli=!1}catch{this.brotli=!0}if(this[w]===void 0||this[w]===!1&&(this.brotli||o)){let a=this[ut];this[ut]=!1,this[w]=this[w]===void 0?new Ue({}):o?new Ke({}):new Ge({}),this[w].on("data",c=>{this[Xs](c)&&this[Xe](c)}),this[w].on("error",c=>{this[$]||this.abort(c)}),this[w].on("end",()=>{this[ut]=!0,this[Xe]()}),this[Yt]=!0,this[le]+=t.length;let l=!!this[w][a?"end":"write"](t);return this[Yt]=!1,i?.(),l}}this[Yt]=!0,this[w]?(this[le]+=t.length,this[w].write(t)):this[Xe](t),this[Yt]=!1;let n=this[st].length>0?!1:this[it]?this[it].flowing:!0;return!n&&this[st].length===0&&this[it]?.once("drain",()=>this.emit("drain")),i?.(),n}[Vi](t){t&&!this[$]&&(this[p]=this[p]?Buffer.concat([this[p],t]):t)}[Qe](){if(this[ut]&&!this[Yi]&&!this[$]&&!this[ae]){this[Yi]=!0;let t=this[Nt];if(t?.blockRemain){let e=this[p]?this[p].length:0;this.warn("TAR_BAD_ARCHIVE",`Truncated input (needed ${t.blockRemain} more bytes, only ${e} available)`,{entry:t}),this[p]&&t.write(this[p]),t.end()}this[At](Je)}}[Xe](t){if(this[ae]&&t)this[Vi](t);else if(!t&&!this[p])this[Qe]();else if(t){if(this[ae]=!0,this[p]){this[Vi](t);let e=this[p];this[p]=void 0,this[qe](e)}else this[qe](t);for(;this[p]&&this[p]?.length>=512&&!this[$]&&!this[ti];){let e=this[p];this[p]=void 0,this[qe](e)}this[ae]=!1}(!this[p]||this[ut])&&this[Qe]()}[qe](t){let e=0,i=t.length;for(;e+512<=i&&!this[$]&&!this[ti];)switch(this[B]){case"begin":case"header":this[Vs](t,e),e+=512;break;case"ignore":case"body":e+=this[Ki](t,e);break;case"meta":e+=this[Ks](t,e);break;default:throw new Error("invalid state: "+this[B])}e<i&&(this[p]=this[p]?Buffer.concat([t.subarray(e),this[p]]):t.subarray(e))}end(t,e,i){return typeof t=="function"&&(i=t,e=void 0,t=void 0),typeof e=="function"&&(i=e,e=void 0),typeof t=="string"&&(t=Buffer.from(t,e)),i&&this.once("finish",i),this[$]||(this[w]?(t&&(this[le]+=t.length,this[w].write(t)),this[w].end()):(this[ut]=!0,(this.brotli===void 0||this.zstd===void 0)&&(t=t||Buffer.alloc(0)),t&&this.write(t),this[Qe]())),this}};var mt=s=>{let t=s.length-1,e=-1;for(;t>-1&&s.charAt(t)==="/";)e=t,t--;return e===-1?s:s.slice(0,e)};var vn=s=>{let t=s.onReadEntry;s.onReadEntry=t?e=>{t(e),e.resume()}:e=>e.resume()},Qi=(s,t)=>{let e=new Map(t.map(o=>[mt(o),!0])),i=s.filter,r=100,n=(o,h="",a=0)=>{if(a>=r)return e.set(o,!1),!1;let l=h||(0,external_path_namespaceObject.parse)(o).root||".",c;if(o===l)c=!1;else{let d=e.get(o);c=d!==void 0?d:n((0,external_path_namespaceObject.dirname)(o),l,a+1)}return e.set(o,c),c};s.filter=i?(o,h)=>i(o,h)&&n(mt(o)):o=>n(mt(o))},Mn=s=>{let t=new rt(s),e=s.file,i;try{i=external_node_fs_namespaceObject.openSync(e,"r");let r=external_node_fs_namespaceObject.fstatSync(i),n=s.maxReadSize||16*1024*1024;if(r.size<n){let o=Buffer.allocUnsafe(r.size),h=external_node_fs_namespaceObject.readSync(i,o,0,r.size,0);t.end(h===o.byteLength?o:o.subarray(0,h))}else{let o=0,h=Buffer.allocUnsafe(n);for(;o<r.size;){let a=external_node_fs_namespaceObject.readSync(i,h,0,n,o);if(a===0)break;o+=a,t.write(h.subarray(0,a))}t.end()}}finally{if(typeof i=="number")try{external_node_fs_namespaceObject.closeSync(i)}catch{}}},Bn=(s,t)=>{let e=new rt(s),i=s.maxReadSize||16*1024*1024,r=s.file;return new Promise((o,h)=>{e.on("error",h),e.on("end",o),external_node_fs_namespaceObject.stat(r,(a,l)=>{if(a)h(a);else{let c=new _t(r,{readSize:i,size:l.size});c.on("error",h),c.pipe(e)}})})},Ct=K(Mn,Bn,s=>new rt(s),s=>new rt(s),(s,t)=>{t?.length&&Qi(s,t),s.noResume||vn(s)});var Ji=(s,t,e)=>(s&=4095,e&&(s=(s|384)&-19),t&&(s&256&&(s|=64),s&32&&(s|=8),s&4&&(s|=1)),s);var{isAbsolute:zn,parse:qs}=external_node_path_namespaceObject.win32,ce=s=>{let t="",e=qs(s);for(;zn(s)||e.root;){let i=s.charAt(0)==="/"&&s.slice(0,4)!=="//?/"?"/":e.root;s=s.slice(i.length),t+=i,e=qs(s)}return[t,s]};var ei=["|","<",">","?",":"],ji=ei.map(s=>String.fromCodePoint(61440+Number(s.codePointAt(0)))),Un=new Map(ei.map((s,t)=>[s,ji[t]])),Hn=new Map(ji.map((s,t)=>[s,ei[t]])),ts=s=>ei.reduce((t,e)=>t.split(e).join(Un.get(e)),s),Qs=s=>ji.reduce((t,e)=>t.split(e).join(Hn.get(e)),s);var rr=(s,t)=>t?(s=f(s).replace(/^\.(\/|$)/,""),mt(t)+"/"+s):f(s),Wn=16*1024*1024,tr=Symbol("process"),er=Symbol("file"),ir=Symbol("directory"),is=Symbol("symlink"),sr=Symbol("hardlink"),fe=Symbol("header"),ii=Symbol("read"),ss=Symbol("lstat"),si=Symbol("onlstat"),rs=Symbol("onread"),ns=Symbol("onreadlink"),os=Symbol("openfile"),hs=Symbol("onopenfile"),pt=Symbol("close"),ri=Symbol("mode"),as=Symbol("awaitDrain"),es=Symbol("ondrain"),q=Symbol("prefix"),de=class extends A{path;portable;myuid=process.getuid&&process.getuid()||0;myuser=process.env.USER||"";maxReadSize;linkCache;statCache;preservePaths;cwd;strict;mtime;noPax;noMtime;prefix;fd;blockLen=0;blockRemain=0;buf;pos=0;remain=0;length=0;offset=0;win32;absolute;header;type;linkpath;stat;onWriteEntry;#t=!1;constructor(t,e={}){let i=se(e);super(),this.path=f(t),this.portable=!!i.portable,this.maxReadSize=i.maxReadSize||Wn,this.linkCache=i.linkCache||new Map,this.statCache=i.statCache||new Map,this.preservePaths=!!i.preservePaths,this.cwd=f(i.cwd||process.cwd()),this.strict=!!i.strict,this.noPax=!!i.noPax,this.noMtime=!!i.noMtime,this.mtime=i.mtime,this.prefix=i.prefix?f(i.prefix):void 0,this.onWriteEntry=i.onWriteEntry,typeof i.onwarn=="function"&&this.on("warn",i.onwarn);let r=!1;if(!this.preservePaths){let[o,h]=ce(this.path);o&&typeof h=="string"&&(this.path=h,r=o)}this.win32=!!i.win32||process.platform==="win32",this.win32&&(this.path=Qs(this.path.replaceAll(/\\/g,"/")),t=t.replaceAll(/\\/g,"/")),this.absolute=f(i.absolute||external_path_namespaceObject.resolve(this.cwd,t)),this.path===""&&(this.path="./"),r&&this.warn("TAR_ENTRY_INFO",`stripping ${r} from absolute path`,{entry:this,path:r+this.path});let n=this.statCache.get(this.absolute);n?this[si](n):this[ss]()}warn(t,e,i={}){return Dt(this,t,e,i)}emit(t,...e){return t==="error"&&(this.#t=!0),super.emit(t,...e)}[ss](){external_fs_namespaceObject.lstat(this.absolute,(t,e)=>{if(t)return this.emit("error",t);this[si](e)})}[si](t){this.statCache.set(this.absolute,t),this.stat=t,t.isFile()||(t.size=0),this.type=Gn(t),this.emit("stat",t),this[tr]()}[tr](){switch(this.type){case"File":return this[er]();case"Directory":return this[ir]();case"SymbolicLink":return this[is]();default:return this.end()}}[ri](t){return Ji(t,this.type==="Directory",this.portable)}[q](t){return rr(t,this.prefix)}[fe](){if(!this.stat)throw new Error("cannot write header before stat");this.type==="Directory"&&this.portable&&(this.noMtime=!0),this.onWriteEntry?.(this),this.header=new F({path:this[q](this.path),linkpath:this.type==="Link"&&this.linkpath!==void 0?this[q](this.linkpath):this.linkpath,mode:this[ri](this.stat.mode),uid:this.portable?void 0:this.stat.uid,gid:this.portable?void 0:this.stat.gid,size:this.stat.size,mtime:this.noMtime?void 0:this.mtime||this.stat.mtime,type:this.type==="Unsupported"?void 0:this.type,uname:this.portable?void 0:this.stat.uid===this.myuid?this.myuser:"",atime:this.portable?void 0:this.stat.atime,ctime:this.portable?void 0:this.stat.ctime}),this.header.encode()&&!this.noPax&&super.write(new ft({atime:this.portable?void 0:this.header.atime,ctime:this.portable?void 0:this.header.ctime,gid:this.portable?void 0:this.header.gid,mtime:this.noMtime?void 0:this.mtime||this.header.mtime,path:this[q](this.path),linkpath:this.type==="Link"&&this.linkpath!==void 0?this[q](this.linkpath):this.linkpath,size:this.header.size,uid:this.portable?void 0:this.header.uid,uname:this.portable?void 0:this.header.uname,dev:this.portable?void 0:this.stat.dev,ino:this.portable?void 0:this.stat.ino,nlink:this.portable?void 0:this.stat.nlink}).encode());let t=this.header?.block;if(!t)throw new Error("failed to encode header");super.write(t)}[ir](){if(!this.stat)throw new Error("cannot create directory entry without stat");this.path.slice(-1)!=="/"&&(this.path+="/"),this.stat.size=0,this[fe](),this.end()}[is](){external_fs_namespaceObject.readlink(this.absolute,(t,e)=>{if(t)return this.emit("error",t);this[ns](e)})}[ns](t){this.linkpath=f(t),this[fe](),this.end()}[sr](t){if(!this.stat)throw new Error("cannot create link entry without stat");this.type="Link",this.linkpath=f(external_path_namespaceObject.relative(this.cwd,t)),this.stat.size=0,this[fe](),this.end()}[er](){if(!this.stat)throw new Error("cannot create file entry without stat");if(this.stat.nlink>1){let t=`${this.stat.dev}:${this.stat.ino}`,e=this.linkCache.get(t);if(e?.indexOf(this.cwd)===0)return this[sr](e);this.linkCache.set(t,this.absolute)}if(this[fe](),this.stat.size===0)return this.end();this[os]()}[os](){external_fs_namespaceObject.open(this.absolute,"r",(t,e)=>{if(t)return this.emit("error",t);this[hs](e)})}[hs](t){if(this.fd=t,this.#t)return this[pt]();if(!this.stat)throw new Error("should stat before calling onopenfile");this.blockLen=512*Math.ceil(this.stat.size/512),this.blockRemain=this.blockLen;let e=Math.min(this.blockLen,this.maxReadSize);this.buf=Buffer.allocUnsafe(e),this.offset=0,this.pos=0,this.remain=this.stat.size,this.length=this.buf.length,this[ii]()}[ii](){let{fd:t,buf:e,offset:i,length:r,pos:n}=this;if(t===void 0||e===void 0)throw new Error("cannot read file without first opening");external_fs_namespaceObject.read(t,e,i,r,n,(o,h)=>{if(o)return this[pt](()=>this.emit("error",o));this[rs](h)})}[pt](t=()=>{}){this.fd!==void 0&&external_fs_namespaceObject.close(this.fd,t)}[rs](t){if(t<=0&&this.remain>0){let r=Object.assign(new Error("encountered unexpected EOF"),{path:this.absolute,syscall:"read",code:"EOF"});return this[pt](()=>this.emit("error",r))}if(t>this.remain){let r=Object.assign(new Error("did not encounter expected EOF"),{path:this.absolute,syscall:"read",code:"EOF"});return this[pt](()=>this.emit("error",r))}if(!this.buf)throw new Error("should have created buffer prior to reading");if(t===this.remain)for(let r=t;r<this.length&&t<this.blockRemain;r++)this.buf[r+this.offset]=0,t++,this.remain++;let e=this.offset===0&&t===this.buf.length?this.buf:this.buf.subarray(this.offset,this.offset+t);this.write(e)?this[es]():this[as](()=>this[es]())}[as](t){this.once("drain",t)}write(t,e,i){if(typeof e=="function"&&(i=e,e=void 0),typeof t=="string"&&(t=Buffer.from(t,typeof e=="string"?e:"utf8")),this.blockRemain<t.length){let r=Object.assign(new Error("writing more data than expected"),{path:this.absolute});return this.emit("error",r)}return this.remain-=t.length,this.blockRemain-=t.length,this.pos+=t.length,this.offset+=t.length,super.write(t,null,i)}[es](){if(!this.remain)return this.blockRemain&&super.write(Buffer.alloc(this.blockRemain)),this[pt](t=>t?this.emit("error",t):this.end());if(!this.buf)throw new Error("buffer lost somehow in ONDRAIN");this.offset>=this.length&&(this.buf=Buffer.allocUnsafe(Math.min(this.blockRemain,this.buf.length)),this.offset=0),this.length=this.buf.length-this.offset,this[ii]()}},ni=class extends de{sync=!0;[ss](){this[si](external_fs_namespaceObject.lstatSync(this.absolute))}[is](){this[ns](external_fs_namespaceObject.readlinkSync(this.absolute))}[os](){this[hs](external_fs_namespaceObject.openSync(this.absolute,"r"))}[ii](){let t=!0;try{let{fd:e,buf:i,offset:r,length:n,pos:o}=this;if(e===void 0||i===void 0)throw new Error("fd and buf must be set in READ method");let h=external_fs_namespaceObject.readSync(e,i,r,n,o);this[rs](h),t=!1}finally{if(t)try{this[pt](()=>{})}catch{}}}[as](t){t()}[pt](t=()=>{}){this.fd!==void 0&&external_fs_namespaceObject.closeSync(this.fd),t()}},oi=class extends A{blockLen=0;blockRemain=0;buf=0;pos=0;remain=0;length=0;preservePaths;portable;strict;noPax;noMtime;readEntry;type;prefix;path;mode;uid;gid;uname;gname;header;mtime;atime;ctime;linkpath;size;onWriteEntry;warn(t,e,i={}){return Dt(this,t,e,i)}constructor(t,e={}){let i=se(e);super(),this.preservePaths=!!i.preservePaths,this.portable=!!i.portable,this.strict=!!i.strict,this.noPax=!!i.noPax,this.noMtime=!!i.noMtime,this.onWriteEntry=i.onWriteEntry,this.readEntry=t;let{type:r}=t;if(r==="Unsupported")throw new Error("writing entry that should be ignored");this.type=r,this.type==="Directory"&&this.portable&&(this.noMtime=!0),this.prefix=i.prefix,this.path=f(t.path),this.mode=t.mode!==void 0?this[ri](t.mode):void 0,this.uid=this.portable?void 0:t.uid,this.gid=this.portable?void 0:t.gid,this.uname=this.portable?void 0:t.uname,this.gname=this.portable?void 0:t.gname,this.size=t.size,this.mtime=this.noMtime?void 0:i.mtime||t.mtime,this.atime=this.portable?void 0:t.atime,this.ctime=this.portable?void 0:t.ctime,this.linkpath=t.linkpath!==void 0?f(t.linkpath):void 0,typeof i.onwarn=="function"&&this.on("warn",i.onwarn);let n=!1;if(!this.preservePaths){let[h,a]=ce(this.path);h&&typeof a=="string"&&(this.path=a,n=h)}this.remain=t.size,this.blockRemain=t.startBlockSize,this.onWriteEntry?.(this),this.header=new F({path:this[q](this.path),linkpath:this.type==="Link"&&this.linkpath!==void 0?this[q](this.linkpath):this.linkpath,mode:this.mode,uid:this.portable?void 0:this.uid,gid:this.portable?void 0:this.gid,size:this.size,mtime:this.noMtime?void 0:this.mtime,type:this.type,uname:this.portable?void 0:this.uname,atime:this.portable?void 0:this.atime,ctime:this.portable?void 0:this.ctime}),n&&this.warn("TAR_ENTRY_INFO",`stripping ${n} from absolute path`,{entry:this,path:n+this.path}),this.header.encode()&&!this.noPax&&super.write(new ft({atime:this.portable?void 0:this.atime,ctime:this.portable?void 0:this.ctime,gid:this.portable?void 0:this.gid,mtime:this.noMtime?void 0:this.mtime,path:this[q](this.path),linkpath:this.type==="Link"&&this.linkpath!==void 0?this[q](this.linkpath):this.linkpath,size:this.size,uid:this.portable?void 0:this.uid,uname:this.portable?void 0:this.uname,dev:this.portable?void 0:this.readEntry.dev,ino:this.portable?void 0:this.readEntry.ino,nlink:this.portable?void 0:this.readEntry.nlink}).encode());let o=this.header?.block;if(!o)throw new Error("failed to encode header");super.write(o),t.pipe(this)}[q](t){return rr(t,this.prefix)}[ri](t){return Ji(t,this.type==="Directory",this.portable)}write(t,e,i){typeof e=="function"&&(i=e,e=void 0),typeof t=="string"&&(t=Buffer.from(t,typeof e=="string"?e:"utf8"));let r=t.length;if(r>this.blockRemain)throw new Error("writing more to entry than is appropriate");return this.blockRemain-=r,super.write(t,i)}end(t,e,i){return this.blockRemain&&super.write(Buffer.alloc(this.blockRemain)),typeof t=="function"&&(i=t,e=void 0,t=void 0),typeof e=="function"&&(i=e,e=void 0),typeof t=="string"&&(t=Buffer.from(t,e??"utf8")),i&&this.once("finish",i),t?super.end(t,i):super.end(i),this}},Gn=s=>s.isFile()?"File":s.isDirectory()?"Directory":s.isSymbolicLink()?"SymbolicLink":"Unsupported";var hi=class s{tail;head;length=0;static create(t=[]){return new s(t)}constructor(t=[]){for(let e of t)this.push(e)}*[Symbol.iterator](){for(let t=this.head;t;t=t.next)yield t.value}removeNode(t){if(t.list!==this)throw new Error("removing node which does not belong to this list");let e=t.next,i=t.prev;return e&&(e.prev=i),i&&(i.next=e),t===this.head&&(this.head=e),t===this.tail&&(this.tail=i),this.length--,t.next=void 0,t.prev=void 0,t.list=void 0,e}unshiftNode(t){if(t===this.head)return;t.list&&t.list.removeNode(t);let e=this.head;t.list=this,t.next=e,e&&(e.prev=t),this.head=t,this.tail||(this.tail=t),this.length++}pushNode(t){if(t===this.tail)return;t.list&&t.list.removeNode(t);let e=this.tail;t.list=this,t.prev=e,e&&(e.next=t),this.tail=t,this.head||(this.head=t),this.length++}push(...t){for(let e=0,i=t.length;e<i;e++)Yn(this,t[e]);return this.length}unshift(...t){for(var e=0,i=t.length;e<i;e++)Kn(this,t[e]);return this.length}pop(){if(!this.tail)return;let t=this.tail.value,e=this.tail;return this.tail=this.tail.prev,this.tail?this.tail.next=void 0:this.head=void 0,e.list=void 0,this.length--,t}shift(){if(!this.head)return;let t=this.head.value,e=this.head;return this.head=this.head.next,this.head?this.head.prev=void 0:this.tail=void 0,e.list=void 0,this.length--,t}forEach(t,e){e=e||this;for(let i=this.head,r=0;i;r++)t.call(e,i.value,r,this),i=i.next}forEachReverse(t,e){e=e||this;for(let i=this.tail,r=this.length-1;i;r--)t.call(e,i.value,r,this),i=i.prev}get(t){let e=0,i=this.head;for(;i&&e<t;e++)i=i.next;if(e===t&&i)return i.value}getReverse(t){let e=0,i=this.tail;for(;i&&e<t;e++)i=i.prev;if(e===t&&i)return i.value}map(t,e){e=e||this;let i=new s;for(let r=this.head;r;)i.push(t.call(e,r.value,this)),r=r.next;return i}mapReverse(t,e){e=e||this;var i=new s;for(let r=this.tail;r;)i.push(t.call(e,r.value,this)),r=r.prev;return i}reduce(t,e){let i,r=this.head;if(arguments.length>1)i=e;else if(this.head)r=this.head.next,i=this.head.value;else throw new TypeError("Reduce of empty list with no initial value");for(var n=0;r;n++)i=t(i,r.value,n),r=r.next;return i}reduceReverse(t,e){let i,r=this.tail;if(arguments.length>1)i=e;else if(this.tail)r=this.tail.prev,i=this.tail.value;else throw new TypeError("Reduce of empty list with no initial value");for(let n=this.length-1;r;n--)i=t(i,r.value,n),r=r.prev;return i}toArray(){let t=new Array(this.length);for(let e=0,i=this.head;i;e++)t[e]=i.value,i=i.next;return t}toArrayReverse(){let t=new Array(this.length);for(let e=0,i=this.tail;i;e++)t[e]=i.value,i=i.prev;return t}slice(t=0,e=this.length){e<0&&(e+=this.length),t<0&&(t+=this.length);let i=new s;if(e<t||e<0)return i;t<0&&(t=0),e>this.length&&(e=this.length);let r=this.head,n=0;for(n=0;r&&n<t;n++)r=r.next;for(;r&&n<e;n++,r=r.next)i.push(r.value);return i}sliceReverse(t=0,e=this.length){e<0&&(e+=this.length),t<0&&(t+=this.length);let i=new s;if(e<t||e<0)return i;t<0&&(t=0),e>this.length&&(e=this.length);let r=this.length,n=this.tail;for(;n&&r>e;r--)n=n.prev;for(;n&&r>t;r--,n=n.prev)i.push(n.value);return i}splice(t,e=0,...i){t>this.length&&(t=this.length-1),t<0&&(t=this.length+t);let r=this.head;for(let o=0;r&&o<t;o++)r=r.next;let n=[];for(let o=0;r&&o<e;o++)n.push(r.value),r=this.removeNode(r);r?r!==this.tail&&(r=r.prev):r=this.tail;for(let o of i)r=Zn(this,r,o);return n}reverse(){let t=this.head,e=this.tail;for(let i=t;i;i=i.prev){let r=i.prev;i.prev=i.next,i.next=r}return this.head=e,this.tail=t,this}};function Zn(s,t,e){let i=t,r=t?t.next:s.head,n=new ue(e,i,r,s);return n.next===void 0&&(s.tail=n),n.prev===void 0&&(s.head=n),s.length++,n}function Yn(s,t){s.tail=new ue(t,s.tail,void 0,s),s.head||(s.head=s.tail),s.length++}function Kn(s,t){s.head=new ue(t,void 0,s.head,s),s.tail||(s.tail=s.head),s.length++}var ue=class{list;next;prev;value;constructor(t,e,i,r){this.list=r,this.value=t,e?(e.next=this,this.prev=e):this.prev=void 0,i?(i.prev=this,this.next=i):this.next=void 0}};var pi=class{path;absolute;entry;stat;readdir;pending=!1;pendingLink=!1;ignore=!1;piped=!1;constructor(t,e){this.path=t||"./",this.absolute=e}},nr=Buffer.alloc(1024),li=Symbol("onStat"),me=Symbol("ended"),W=Symbol("queue"),pe=Symbol("pendingLinks"),Et=Symbol("current"),Ft=Symbol("process"),Ee=Symbol("processing"),ai=Symbol("processJob"),G=Symbol("jobs"),ls=Symbol("jobDone"),ci=Symbol("addFSEntry"),or=Symbol("addTarEntry"),ds=Symbol("stat"),us=Symbol("readdir"),fi=Symbol("onreaddir"),di=Symbol("pipe"),hr=Symbol("entry"),cs=Symbol("entryOpt"),ui=Symbol("writeEntryClass"),lr=Symbol("write"),index_min_fs=Symbol("ondrain"),wt=class extends A{sync=!1;opt;cwd;maxReadSize;preservePaths;strict;noPax;prefix;linkCache;statCache;file;portable;zip;readdirCache;noDirRecurse;follow;noMtime;mtime;filter;jobs;[ui];onWriteEntry;[W];[pe]=new Map;[G]=0;[Ee]=!1;[me]=!1;constructor(t={}){if(super(),this.opt=t,this.file=t.file||"",this.cwd=t.cwd||process.cwd(),this.maxReadSize=t.maxReadSize,this.preservePaths=!!t.preservePaths,this.strict=!!t.strict,this.noPax=!!t.noPax,this.prefix=f(t.prefix||""),this.linkCache=t.linkCache||new Map,this.statCache=t.statCache||new Map,this.readdirCache=t.readdirCache||new Map,this.onWriteEntry=t.onWriteEntry,this[ui]=de,typeof t.onwarn=="function"&&this.on("warn",t.onwarn),this.portable=!!t.portable,t.gzip||t.brotli||t.zstd){if((t.gzip?1:0)+(t.brotli?1:0)+(t.zstd?1:0)>1)throw new TypeError("gzip, brotli, zstd are mutually exclusive");if(t.gzip&&(typeof t.gzip!="object"&&(t.gzip={}),this.portable&&(t.gzip.portable=!0),this.zip=new ze(t.gzip)),t.brotli&&(typeof t.brotli!="object"&&(t.brotli={}),this.zip=new We(t.brotli)),t.zstd&&(typeof t.zstd!="object"&&(t.zstd={}),this.zip=new Ye(t.zstd)),!this.zip)throw new Error("impossible");let e=this.zip;e.on("data",i=>super.write(i)),e.on("end",()=>super.end()),e.on("drain",()=>this[index_min_fs]()),this.on("resume",()=>e.resume())}else this.on("drain",this[index_min_fs]);this.noDirRecurse=!!t.noDirRecurse,this.follow=!!t.follow,this.noMtime=!!t.noMtime,t.mtime&&(this.mtime=t.mtime),this.filter=typeof t.filter=="function"?t.filter:()=>!0,this[W]=new hi,this[G]=0,this.jobs=Number(t.jobs)||4,this[Ee]=!1,this[me]=!1}[lr](t){return super.write(t)}add(t){return this.write(t),this}end(t,e,i){return typeof t=="function"&&(i=t,t=void 0),typeof e=="function"&&(i=e,e=void 0),t&&this.add(t),this[me]=!0,this[Ft](),i&&i(),this}write(t){if(this[me])throw new Error("write after end");return typeof t=="string"?this[ci](t):this[or](t),this.flowing}[or](t){let e=f(external_path_namespaceObject.resolve(this.cwd,t.path));if(!this.filter(t.path,t))t.resume();else{let i=new pi(t.path,e);i.entry=new oi(t,this[cs](i)),i.entry.on("end",()=>this[ls](i)),this[G]+=1,this[W].push(i)}this[Ft]()}[ci](t){let e=f(external_path_namespaceObject.resolve(this.cwd,t));this[W].push(new pi(t,e)),this[Ft]()}[ds](t){t.pending=!0,this[G]+=1;let e=this.follow?"stat":"lstat";external_fs_namespaceObject[e](t.absolute,(i,r)=>{t.pending=!1,this[G]-=1,i?this.emit("error",i):this[li](t,r)})}[li](t,e){if(this.statCache.set(t.absolute,e),t.stat=e,!this.filter(t.path,e))t.ignore=!0;else if(e.isFile()&&e.nlink>1&&!this.linkCache.get(`${e.dev}:${e.ino}`)&&!this.sync)if(t===this[Et])this[ai](t);else{let i=`${e.dev}:${e.ino}`,r=this[pe].get(i);r?r.push(t):this[pe].set(i,[t]),t.pendingLink=!0,t.pending=!0}this[Ft]()}[us](t){t.pending=!0,this[G]+=1,external_fs_namespaceObject.readdir(t.absolute,(e,i)=>{if(t.pending=!1,this[G]-=1,e)return this.emit("error",e);this[fi](t,i)})}[fi](t,e){this.readdirCache.set(t.absolute,e),t.readdir=e,this[Ft]()}[Ft](){if(!this[Ee]){this[Ee]=!0;for(let t=this[W].head;t&&this[G]<this.jobs;t=t.next)if(this[ai](t.value),t.value.ignore){let e=t.next;this[W].removeNode(t),t.next=e}this[Ee]=!1,this[me]&&this[W].length===0&&this[G]===0&&(this.zip?this.zip.end(nr):(super.write(nr),super.end()))}}get[Et](){return this[W]&&this[W].head&&this[W].head.value}[ls](t){this[W].shift(),this[G]-=1;let{stat:e}=t;if(e&&e.isFile()&&e.nlink>1){let i=`${e.dev}:${e.ino}`,r=this[pe].get(i);if(r){this[pe].delete(i);for(let n of r)n.pending=!1,this[ai](n)}}this[Ft]()}[ai](t){if(t.pending&&t.pendingLink&&t===this[Et]&&(t.pending=!1,t.pendingLink=!1),!t.pending){if(t.entry){t===this[Et]&&!t.piped&&this[di](t);return}if(!t.stat){let e=this.statCache.get(t.absolute);e?this[li](t,e):this[ds](t)}if(t.stat&&!t.ignore){if(!this.noDirRecurse&&t.stat.isDirectory()&&!t.readdir){let e=this.readdirCache.get(t.absolute);if(e?this[fi](t,e):this[us](t),!t.readdir)return}if(t.entry=this[hr](t),!t.entry){t.ignore=!0;return}t===this[Et]&&!t.piped&&this[di](t)}}}[cs](t){return{onwarn:(e,i,r)=>this.warn(e,i,r),noPax:this.noPax,cwd:this.cwd,absolute:t.absolute,preservePaths:this.preservePaths,maxReadSize:this.maxReadSize,strict:this.strict,portable:this.portable,linkCache:this.linkCache,statCache:this.statCache,noMtime:this.noMtime,mtime:this.mtime,prefix:this.prefix,onWriteEntry:this.onWriteEntry}}[hr](t){this[G]+=1;try{return new this[ui](t.path,this[cs](t)).on("end",()=>this[ls](t)).on("error",i=>this.emit("error",i))}catch(e){this.emit("error",e)}}[index_min_fs](){this[Et]&&this[Et].entry&&this[Et].entry.resume()}[di](t){t.piped=!0,t.readdir&&t.readdir.forEach(r=>{let n=t.path,o=n==="./"?"":n.replace(/\/*$/,"/");this[ci](o+r)});let e=t.entry,i=this.zip;if(!e)throw new Error("cannot pipe without source");i?e.on("data",r=>{i.write(r)||e.pause()}):e.on("data",r=>{super.write(r)||e.pause()})}pause(){return this.zip&&this.zip.pause(),super.pause()}warn(t,e,i={}){Dt(this,t,e,i)}},kt=class extends wt{sync=!0;constructor(t){super(t),this[ui]=ni}pause(){}resume(){}[ds](t){let e=this.follow?"statSync":"lstatSync";this[li](t,external_fs_namespaceObject[e](t.absolute))}[us](t){this[fi](t,external_fs_namespaceObject.readdirSync(t.absolute))}[di](t){let e=t.entry,i=this.zip;if(t.readdir&&t.readdir.forEach(r=>{let n=t.path,o=n==="./"?"":n.replace(/\/*$/,"/");this[ci](o+r)}),!e)throw new Error("Cannot pipe without source");i?e.on("data",r=>{i.write(r)}):e.on("data",r=>{super[lr](r)})}};var Vn=(s,t)=>{let e=new kt(s),i=new Wt(s.file,{mode:s.mode||438});e.pipe(i),fr(e,t)},$n=(s,t)=>{let e=new wt(s),i=new et(s.file,{mode:s.mode||438});e.pipe(i);let r=new Promise((n,o)=>{i.on("error",o),i.on("close",n),e.on("error",o)});return dr(e,t).catch(n=>e.emit("error",n)),r},fr=(s,t)=>{t.forEach(e=>{e.charAt(0)==="@"?Ct({file:external_node_path_namespaceObject.resolve(s.cwd,e.slice(1)),sync:!0,noResume:!0,onReadEntry:i=>s.add(i)}):s.add(e)}),s.end()},dr=async(s,t)=>{for(let e of t)e.charAt(0)==="@"?await Ct({file:external_node_path_namespaceObject.resolve(String(s.cwd),e.slice(1)),noResume:!0,onReadEntry:i=>{s.add(i)}}):s.add(e);s.end()},Xn=(s,t)=>{let e=new kt(s);return fr(e,t),e},qn=(s,t)=>{let e=new wt(s);return dr(e,t).catch(i=>e.emit("error",i)),e},Qn=K(Vn,$n,Xn,qn,(s,t)=>{if(!t?.length)throw new TypeError("no paths specified to add to archive")});var Jn=process.env.__FAKE_PLATFORM__||process.platform,Er=Jn==="win32",{O_CREAT:wr,O_NOFOLLOW:ur,O_TRUNC:Sr,O_WRONLY:yr}=external_fs_namespaceObject.constants,Rr=Number(process.env.__FAKE_FS_O_FILENAME__)||external_fs_namespaceObject.constants.UV_FS_O_FILEMAP||0,jn=Er&&!!Rr,to=512*1024,eo=Rr|Sr|wr|yr,mr=!Er&&typeof ur=="number"?ur|Sr|wr|yr:null,ms=mr!==null?()=>mr:jn?s=>s<to?eo:"w":()=>"w";var ps=(s,t,e)=>{try{return external_node_fs_namespaceObject.lchownSync(s,t,e)}catch(i){if(i?.code!=="ENOENT")throw i}},Ei=(s,t,e,i)=>{external_node_fs_namespaceObject.lchown(s,t,e,r=>{i(r&&r?.code!=="ENOENT"?r:null)})},io=(s,t,e,i,r)=>{if(t.isDirectory())Es(external_node_path_namespaceObject.resolve(s,t.name),e,i,n=>{if(n)return r(n);let o=external_node_path_namespaceObject.resolve(s,t.name);Ei(o,e,i,r)});else{let n=external_node_path_namespaceObject.resolve(s,t.name);Ei(n,e,i,r)}},Es=(s,t,e,i)=>{external_node_fs_namespaceObject.readdir(s,{withFileTypes:!0},(r,n)=>{if(r){if(r.code==="ENOENT")return i();if(r.code!=="ENOTDIR"&&r.code!=="ENOTSUP")return i(r)}if(r||!n.length)return Ei(s,t,e,i);let o=n.length,h=null,a=l=>{if(!h){if(l)return i(h=l);if(--o===0)return Ei(s,t,e,i)}};for(let l of n)io(s,l,t,e,a)})},so=(s,t,e,i)=>{t.isDirectory()&&ws(external_node_path_namespaceObject.resolve(s,t.name),e,i),ps(external_node_path_namespaceObject.resolve(s,t.name),e,i)},ws=(s,t,e)=>{let i;try{i=external_node_fs_namespaceObject.readdirSync(s,{withFileTypes:!0})}catch(r){let n=r;if(n?.code==="ENOENT")return;if(n?.code==="ENOTDIR"||n?.code==="ENOTSUP")return ps(s,t,e);throw n}for(let r of i)so(s,r,t,e);return ps(s,t,e)};var Se=class extends Error{path;code;syscall="chdir";constructor(t,e){super(`${e}: Cannot cd into '${t}'`),this.path=t,this.code=e}get name(){return"CwdError"}};var St=class extends Error{path;symlink;syscall="symlink";code="TAR_SYMLINK_ERROR";constructor(t,e){super("TAR_SYMLINK_ERROR: Cannot extract through symbolic link"),this.symlink=t,this.path=e}get name(){return"SymlinkError"}};var no=(s,t)=>{external_node_fs_namespaceObject.stat(s,(e,i)=>{(e||!i.isDirectory())&&(e=new Se(s,e?.code||"ENOTDIR")),t(e)})},gr=(s,t,e)=>{s=f(s);let i=t.umask??18,r=t.mode|448,n=(r&i)!==0,o=t.uid,h=t.gid,a=typeof o=="number"&&typeof h=="number"&&(o!==t.processUid||h!==t.processGid),l=t.preserve,c=t.unlink,d=f(t.cwd),y=(E,x)=>{E?e(E):x&&a?Es(x,o,h,Le=>y(Le)):n?external_node_fs_namespaceObject.chmod(s,r,e):e()};if(s===d)return no(s,y);if(l)return promises_namespaceObject.mkdir(s,{mode:r,recursive:!0}).then(E=>y(null,E??void 0),y);let D=f(external_node_path_namespaceObject.relative(d,s)).split("/");Ss(d,D,r,c,d,void 0,y)},Ss=(s,t,e,i,r,n,o)=>{if(t.length===0)return o(null,n);let h=t.shift(),a=f(external_node_path_namespaceObject.resolve(s+"/"+h));external_node_fs_namespaceObject.mkdir(a,e,br(a,t,e,i,r,n,o))},br=(s,t,e,i,r,n,o)=>h=>{h?external_node_fs_namespaceObject.lstat(s,(a,l)=>{if(a)a.path=a.path&&f(a.path),o(a);else if(l.isDirectory())Ss(s,t,e,i,r,n,o);else if(i)external_node_fs_namespaceObject.unlink(s,c=>{if(c)return o(c);external_node_fs_namespaceObject.mkdir(s,e,br(s,t,e,i,r,n,o))});else{if(l.isSymbolicLink())return o(new St(s,s+"/"+t.join("/")));o(h)}}):(n=n||s,Ss(s,t,e,i,r,n,o))},oo=s=>{let t=!1,e;try{t=external_node_fs_namespaceObject.statSync(s).isDirectory()}catch(i){e=i?.code}finally{if(!t)throw new Se(s,e??"ENOTDIR")}},_r=(s,t)=>{s=f(s);let e=t.umask??18,i=t.mode|448,r=(i&e)!==0,n=t.uid,o=t.gid,h=typeof n=="number"&&typeof o=="number"&&(n!==t.processUid||o!==t.processGid),a=t.preserve,l=t.unlink,c=f(t.cwd),d=E=>{E&&h&&ws(E,n,o),r&&external_node_fs_namespaceObject.chmodSync(s,i)};if(s===c)return oo(c),d();if(a)return d(external_node_fs_namespaceObject.mkdirSync(s,{mode:i,recursive:!0})??void 0);let T=f(external_node_path_namespaceObject.relative(c,s)).split("/"),D;for(let E=T.shift(),x=c;E&&(x+="/"+E);E=T.shift()){x=f(external_node_path_namespaceObject.resolve(x));try{external_node_fs_namespaceObject.mkdirSync(x,i),D=D||x}catch{let Le=external_node_fs_namespaceObject.lstatSync(x);if(Le.isDirectory())continue;if(l){external_node_fs_namespaceObject.unlinkSync(x),external_node_fs_namespaceObject.mkdirSync(x,i),D=D||x;continue}else if(Le.isSymbolicLink())return new St(x,x+"/"+T.join("/"))}}return d(D)};var ys=Object.create(null),Or=1e4,Vt=new Set,Tr=s=>{Vt.has(s)?Vt.delete(s):ys[s]=s.normalize("NFD").toLocaleLowerCase("en").toLocaleUpperCase("en"),Vt.add(s);let t=ys[s],e=Vt.size-Or;if(e>Or/10){for(let i of Vt)if(Vt.delete(i),delete ys[i],--e<=0)break}return t};var ho=process.env.TESTING_TAR_FAKE_PLATFORM||process.platform,ao=ho==="win32",lo=s=>s.split("/").slice(0,-1).reduce((e,i)=>{let r=e.at(-1);return r!==void 0&&(i=(0,external_node_path_namespaceObject.join)(r,i)),e.push(i||"/"),e},[]),yi=class{#t=new Map;#i=new Map;#s=new Set;reserve(t,e){t=ao?["win32 parallelization disabled"]:t.map(r=>mt((0,external_node_path_namespaceObject.join)(Tr(r))));let i=new Set(t.map(r=>lo(r)).reduce((r,n)=>r.concat(n)));this.#i.set(e,{dirs:i,paths:t});for(let r of t){let n=this.#t.get(r);n?n.push(e):this.#t.set(r,[e])}for(let r of i){let n=this.#t.get(r);if(!n)this.#t.set(r,[new Set([e])]);else{let o=n.at(-1);o instanceof Set?o.add(e):n.push(new Set([e]))}}return this.#r(e)}#n(t){let e=this.#i.get(t);if(!e)throw new Error("function does not have any path reservations");return{paths:e.paths.map(i=>this.#t.get(i)),dirs:[...e.dirs].map(i=>this.#t.get(i))}}check(t){let{paths:e,dirs:i}=this.#n(t);return e.every(r=>r&&r[0]===t)&&i.every(r=>r&&r[0]instanceof Set&&r[0].has(t))}#r(t){return this.#s.has(t)||!this.check(t)?!1:(this.#s.add(t),t(()=>this.#e(t)),!0)}#e(t){if(!this.#s.has(t))return!1;let e=this.#i.get(t);if(!e)throw new Error("invalid reservation");let{paths:i,dirs:r}=e,n=new Set;for(let o of i){let h=this.#t.get(o);if(!h||h?.[0]!==t)continue;let a=h[1];if(!a){this.#t.delete(o);continue}if(h.shift(),typeof a=="function")n.add(a);else for(let l of a)n.add(l)}for(let o of r){let h=this.#t.get(o),a=h?.[0];if(!(!h||!(a instanceof Set)))if(a.size===1&&h.length===1){this.#t.delete(o);continue}else if(a.size===1){h.shift();let l=h[0];typeof l=="function"&&n.add(l)}else a.delete(t)}return this.#s.delete(t),n.forEach(o=>this.#r(o)),!0}};var Lr=()=>process.umask();var Dr=Symbol("onEntry"),_s=Symbol("checkFs"),Nr=Symbol("checkFs2"),Os=Symbol("isReusable"),index_min_P=Symbol("makeFs"),Ts=Symbol("file"),xs=Symbol("directory"),gi=Symbol("link"),Ar=Symbol("symlink"),Ir=Symbol("hardlink"),Re=Symbol("ensureNoSymlink"),Cr=Symbol("unsupported"),Fr=Symbol("checkPath"),Rs=Symbol("stripAbsolutePath"),yt=Symbol("mkdir"),O=Symbol("onError"),Ri=Symbol("pending"),kr=Symbol("pend"),$t=Symbol("unpend"),gs=Symbol("ended"),bs=Symbol("maybeClose"),Ls=Symbol("skip"),ge=Symbol("doChown"),be=Symbol("uid"),_e=Symbol("gid"),Oe=Symbol("checkedCwd"),fo=process.env.TESTING_TAR_FAKE_PLATFORM||process.platform,Te=fo==="win32",uo=1024,mo=(s,t)=>{if(!Te)return external_node_fs_namespaceObject.unlink(s,t);let e=s+".DELETE."+(0,external_node_crypto_namespaceObject.randomBytes)(16).toString("hex");external_node_fs_namespaceObject.rename(s,e,i=>{if(i)return t(i);external_node_fs_namespaceObject.unlink(e,t)})},po=s=>{if(!Te)return external_node_fs_namespaceObject.unlinkSync(s);let t=s+".DELETE."+(0,external_node_crypto_namespaceObject.randomBytes)(16).toString("hex");external_node_fs_namespaceObject.renameSync(s,t),external_node_fs_namespaceObject.unlinkSync(t)},vr=(s,t,e)=>s!==void 0&&s===s>>>0?s:t!==void 0&&t===t>>>0?t:e,Xt=class extends rt{[gs]=!1;[Oe]=!1;[Ri]=0;reservations=new yi;transform;writable=!0;readable=!1;uid;gid;setOwner;preserveOwner;processGid;processUid;maxDepth;forceChown;win32;newer;keep;noMtime;preservePaths;unlink;cwd;strip;processUmask;umask;dmode;fmode;chmod;constructor(t={}){if(t.ondone=()=>{this[gs]=!0,this[bs]()},super(t),this.transform=t.transform,this.chmod=!!t.chmod,typeof t.uid=="number"||typeof t.gid=="number"){if(typeof t.uid!="number"||typeof t.gid!="number")throw new TypeError("cannot set owner without number uid and gid");if(t.preserveOwner)throw new TypeError("cannot preserve owner in archive and also set owner explicitly");this.uid=t.uid,this.gid=t.gid,this.setOwner=!0}else this.uid=void 0,this.gid=void 0,this.setOwner=!1;this.preserveOwner=t.preserveOwner===void 0&&typeof t.uid!="number"?process.getuid?.()===0:!!t.preserveOwner,this.processUid=(this.preserveOwner||this.setOwner)&&process.getuid?process.getuid():void 0,this.processGid=(this.preserveOwner||this.setOwner)&&process.getgid?process.getgid():void 0,this.maxDepth=typeof t.maxDepth=="number"?t.maxDepth:uo,this.forceChown=t.forceChown===!0,this.win32=!!t.win32||Te,this.newer=!!t.newer,this.keep=!!t.keep,this.noMtime=!!t.noMtime,this.preservePaths=!!t.preservePaths,this.unlink=!!t.unlink,this.cwd=f(external_node_path_namespaceObject.resolve(t.cwd||process.cwd())),this.strip=Number(t.strip)||0,this.processUmask=this.chmod?typeof t.processUmask=="number"?t.processUmask:Lr():0,this.umask=typeof t.umask=="number"?t.umask:this.processUmask,this.dmode=t.dmode||511&~this.umask,this.fmode=t.fmode||438&~this.umask,this.on("entry",e=>this[Dr](e))}warn(t,e,i={}){return(t==="TAR_BAD_ARCHIVE"||t==="TAR_ABORT")&&(i.recoverable=!1),super.warn(t,e,i)}[bs](){this[gs]&&this[Ri]===0&&(this.emit("prefinish"),this.emit("finish"),this.emit("end"))}[Rs](t,e){let i=t[e],{type:r}=t;if(!i||this.preservePaths)return!0;let[n,o]=ce(i),h=o.replaceAll(/\\/g,"/").split("/");if(h.includes("..")||Te&&/^[a-z]:\.\.$/i.test(h[0]??"")){if(e==="path"||r==="Link")return this.warn("TAR_ENTRY_ERROR",`${e} contains '..'`,{entry:t,[e]:i}),!1;let a=external_node_path_namespaceObject.posix.dirname(t.path),l=external_node_path_namespaceObject.posix.normalize(external_node_path_namespaceObject.posix.join(a,h.join("/")));if(l.startsWith("../")||l==="..")return this.warn("TAR_ENTRY_ERROR",`${e} escapes extraction directory`,{entry:t,[e]:i}),!1}return n&&(t[e]=String(o),this.warn("TAR_ENTRY_INFO",`stripping ${n} from absolute ${e}`,{entry:t,[e]:i})),!0}[Fr](t){let e=f(t.path),i=e.split("/");if(this.strip){if(i.length<this.strip)return!1;if(t.type==="Link"){let r=f(String(t.linkpath)).split("/");if(r.length>=this.strip)t.linkpath=r.slice(this.strip).join("/");else return!1}i.splice(0,this.strip),t.path=i.join("/")}if(isFinite(this.maxDepth)&&i.length>this.maxDepth)return this.warn("TAR_ENTRY_ERROR","path excessively deep",{entry:t,path:e,depth:i.length,maxDepth:this.maxDepth}),!1;if(!this[Rs](t,"path")||!this[Rs](t,"linkpath"))return!1;if(t.absolute=external_node_path_namespaceObject.isAbsolute(t.path)?f(external_node_path_namespaceObject.resolve(t.path)):f(external_node_path_namespaceObject.resolve(this.cwd,t.path)),!this.preservePaths&&typeof t.absolute=="string"&&t.absolute.indexOf(this.cwd+"/")!==0&&t.absolute!==this.cwd)return this.warn("TAR_ENTRY_ERROR","path escaped extraction target",{entry:t,path:f(t.path),resolvedPath:t.absolute,cwd:this.cwd}),!1;if(t.absolute===this.cwd&&t.type!=="Directory"&&t.type!=="GNUDumpDir")return!1;if(this.win32){let{root:r}=external_node_path_namespaceObject.win32.parse(String(t.absolute));t.absolute=r+ts(String(t.absolute).slice(r.length));let{root:n}=external_node_path_namespaceObject.win32.parse(t.path);t.path=n+ts(t.path.slice(n.length))}return!0}[Dr](t){if(!this[Fr](t))return t.resume();switch(external_node_assert_namespaceObject.equal(typeof t.absolute,"string"),t.type){case"Directory":case"GNUDumpDir":t.mode&&(t.mode=t.mode|448);case"File":case"OldFile":case"ContiguousFile":case"Link":case"SymbolicLink":return this[_s](t);default:return this[Cr](t)}}[O](t,e){t.name==="CwdError"?this.emit("error",t):(this.warn("TAR_ENTRY_ERROR",t,{entry:e}),this[$t](),e.resume())}[yt](t,e,i){gr(f(t),{uid:this.uid,gid:this.gid,processUid:this.processUid,processGid:this.processGid,umask:this.processUmask,preserve:this.preservePaths,unlink:this.unlink,cwd:this.cwd,mode:e},i)}[ge](t){return this.forceChown||this.preserveOwner&&(typeof t.uid=="number"&&t.uid!==this.processUid||typeof t.gid=="number"&&t.gid!==this.processGid)||typeof this.uid=="number"&&this.uid!==this.processUid||typeof this.gid=="number"&&this.gid!==this.processGid}[be](t){return vr(this.uid,t.uid,this.processUid)}[_e](t){return vr(this.gid,t.gid,this.processGid)}[Ts](t,e){let i=typeof t.mode=="number"?t.mode&4095:this.fmode,r=new et(String(t.absolute),{flags:ms(t.size),mode:i,autoClose:!1});r.on("error",a=>{r.fd&&external_node_fs_namespaceObject.close(r.fd,()=>{}),r.write=()=>!0,this[O](a,t),e()});let n=1,o=a=>{if(a){r.fd&&external_node_fs_namespaceObject.close(r.fd,()=>{}),this[O](a,t),e();return}--n===0&&r.fd!==void 0&&external_node_fs_namespaceObject.close(r.fd,l=>{l?this[O](l,t):this[$t](),e()})};r.on("finish",()=>{let a=String(t.absolute),l=r.fd;if(typeof l=="number"&&t.mtime&&!this.noMtime){n++;let c=t.atime||new Date,d=t.mtime;external_node_fs_namespaceObject.futimes(l,c,d,y=>y?external_node_fs_namespaceObject.utimes(a,c,d,T=>o(T&&y)):o())}if(typeof l=="number"&&this[ge](t)){n++;let c=this[be](t),d=this[_e](t);typeof c=="number"&&typeof d=="number"&&external_node_fs_namespaceObject.fchown(l,c,d,y=>y?external_node_fs_namespaceObject.chown(a,c,d,T=>o(T&&y)):o())}o()});let h=this.transform&&this.transform(t)||t;h!==t&&(h.on("error",a=>{this[O](a,t),e()}),t.pipe(h)),h.pipe(r)}[xs](t,e){let i=typeof t.mode=="number"?t.mode&4095:this.dmode;this[yt](String(t.absolute),i,r=>{if(r){this[O](r,t),e();return}let n=1,o=()=>{--n===0&&(e(),this[$t](),t.resume())};t.mtime&&!this.noMtime&&(n++,external_node_fs_namespaceObject.utimes(String(t.absolute),t.atime||new Date,t.mtime,o)),this[ge](t)&&(n++,external_node_fs_namespaceObject.chown(String(t.absolute),Number(this[be](t)),Number(this[_e](t)),o)),o()})}[Cr](t){t.unsupported=!0,this.warn("TAR_ENTRY_UNSUPPORTED",`unsupported entry type: ${t.type}`,{entry:t}),t.resume()}[Ar](t,e){let i=f(external_node_path_namespaceObject.relative(this.cwd,external_node_path_namespaceObject.resolve(external_node_path_namespaceObject.dirname(String(t.absolute)),String(t.linkpath)))).split("/");this[Re](t,this.cwd,i,()=>this[gi](t,String(t.linkpath),"symlink",e),r=>{this[O](r,t),e()})}[Ir](t,e){let i=f(external_node_path_namespaceObject.resolve(this.cwd,String(t.linkpath))),r=f(String(t.linkpath)).split("/");this[Re](t,this.cwd,r,()=>this[gi](t,i,"link",e),n=>{this[O](n,t),e()})}[Re](t,e,i,r,n){let o=i.shift();if(this.preservePaths||o===void 0)return r();let h=external_node_path_namespaceObject.resolve(e,o);external_node_fs_namespaceObject.lstat(h,(a,l)=>{if(a)return r();if(l?.isSymbolicLink())return n(new St(h,external_node_path_namespaceObject.resolve(h,i.join("/"))));this[Re](t,h,i,r,n)})}[kr](){this[Ri]++}[$t](){this[Ri]--,this[bs]()}[Ls](t){this[$t](),t.resume()}[Os](t,e){return t.type==="File"&&!this.unlink&&e.isFile()&&e.nlink<=1&&!Te}[_s](t){this[kr]();let e=[t.path];t.linkpath&&e.push(t.linkpath),this.reservations.reserve(e,i=>this[Nr](t,i))}[Nr](t,e){let i=h=>{e(h)},r=()=>{this[yt](this.cwd,this.dmode,h=>{if(h){this[O](h,t),i();return}this[Oe]=!0,n()})},n=()=>{if(t.absolute!==this.cwd){let h=f(external_node_path_namespaceObject.dirname(String(t.absolute)));if(h!==this.cwd)return this[yt](h,this.dmode,a=>{if(a){this[O](a,t),i();return}o()})}o()},o=()=>{external_node_fs_namespaceObject.lstat(String(t.absolute),(h,a)=>{if(a&&(this.keep||this.newer&&a.mtime>(t.mtime??a.mtime))){this[Ls](t),i();return}if(h||this[Os](t,a))return this[index_min_P](null,t,i);if(a.isDirectory()){if(t.type==="Directory"){let l=this.chmod&&t.mode&&(a.mode&4095)!==t.mode,c=d=>this[index_min_P](d??null,t,i);return l?external_node_fs_namespaceObject.chmod(String(t.absolute),Number(t.mode),c):c()}if(t.absolute!==this.cwd)return external_node_fs_namespaceObject.rmdir(String(t.absolute),l=>this[index_min_P](l??null,t,i))}if(t.absolute===this.cwd)return this[index_min_P](null,t,i);mo(String(t.absolute),l=>this[index_min_P](l??null,t,i))})};this[Oe]?n():r()}[index_min_P](t,e,i){if(t){this[O](t,e),i();return}switch(e.type){case"File":case"OldFile":case"ContiguousFile":return this[Ts](e,i);case"Link":return this[Ir](e,i);case"SymbolicLink":return this[Ar](e,i);case"Directory":case"GNUDumpDir":return this[xs](e,i)}}[gi](t,e,i,r){external_node_fs_namespaceObject[i](e,String(t.absolute),n=>{n?this[O](n,t):(this[$t](),t.resume()),r()})}},ye=s=>{try{return[null,s()]}catch(t){return[t,null]}},xe=class extends Xt{sync=!0;[index_min_P](t,e){return super[index_min_P](t,e,()=>{})}[_s](t){if(!this[Oe]){let n=this[yt](this.cwd,this.dmode);if(n)return this[O](n,t);this[Oe]=!0}if(t.absolute!==this.cwd){let n=f(external_node_path_namespaceObject.dirname(String(t.absolute)));if(n!==this.cwd){let o=this[yt](n,this.dmode);if(o)return this[O](o,t)}}let[e,i]=ye(()=>external_node_fs_namespaceObject.lstatSync(String(t.absolute)));if(i&&(this.keep||this.newer&&i.mtime>(t.mtime??i.mtime)))return this[Ls](t);if(e||this[Os](t,i))return this[index_min_P](null,t);if(i.isDirectory()){if(t.type==="Directory"){let o=this.chmod&&t.mode&&(i.mode&4095)!==t.mode,[h]=o?ye(()=>{external_node_fs_namespaceObject.chmodSync(String(t.absolute),Number(t.mode))}):[];return this[index_min_P](h,t)}let[n]=ye(()=>external_node_fs_namespaceObject.rmdirSync(String(t.absolute)));this[index_min_P](n,t)}let[r]=t.absolute===this.cwd?[]:ye(()=>po(String(t.absolute)));this[index_min_P](r,t)}[Ts](t,e){let i=typeof t.mode=="number"?t.mode&4095:this.fmode,r=h=>{let a;try{external_node_fs_namespaceObject.closeSync(n)}catch(l){a=l}(h||a)&&this[O](h||a,t),e()},n;try{n=external_node_fs_namespaceObject.openSync(String(t.absolute),ms(t.size),i)}catch(h){return r(h)}let o=this.transform&&this.transform(t)||t;o!==t&&(o.on("error",h=>this[O](h,t)),t.pipe(o)),o.on("data",h=>{try{external_node_fs_namespaceObject.writeSync(n,h,0,h.length)}catch(a){r(a)}}),o.on("end",()=>{let h=null;if(t.mtime&&!this.noMtime){let a=t.atime||new Date,l=t.mtime;try{external_node_fs_namespaceObject.futimesSync(n,a,l)}catch(c){try{external_node_fs_namespaceObject.utimesSync(String(t.absolute),a,l)}catch{h=c}}}if(this[ge](t)){let a=this[be](t),l=this[_e](t);try{external_node_fs_namespaceObject.fchownSync(n,Number(a),Number(l))}catch(c){try{external_node_fs_namespaceObject.chownSync(String(t.absolute),Number(a),Number(l))}catch{h=h||c}}}r(h)})}[xs](t,e){let i=typeof t.mode=="number"?t.mode&4095:this.dmode,r=this[yt](String(t.absolute),i);if(r){this[O](r,t),e();return}if(t.mtime&&!this.noMtime)try{external_node_fs_namespaceObject.utimesSync(String(t.absolute),t.atime||new Date,t.mtime)}catch{}if(this[ge](t))try{external_node_fs_namespaceObject.chownSync(String(t.absolute),Number(this[be](t)),Number(this[_e](t)))}catch{}e(),t.resume()}[yt](t,e){try{return _r(f(t),{uid:this.uid,gid:this.gid,processUid:this.processUid,processGid:this.processGid,umask:this.processUmask,preserve:this.preservePaths,unlink:this.unlink,cwd:this.cwd,mode:e})}catch(i){return i}}[Re](t,e,i,r,n){if(this.preservePaths||i.length===0)return r();let o=e;for(let h of i){o=external_node_path_namespaceObject.resolve(o,h);let[a,l]=ye(()=>external_node_fs_namespaceObject.lstatSync(o));if(a)return r();if(l.isSymbolicLink())return n(new St(o,external_node_path_namespaceObject.resolve(e,i.join("/"))))}r()}[gi](t,e,i,r){let n=`${i}Sync`;try{external_node_fs_namespaceObject[n](e,String(t.absolute)),r(),t.resume()}catch(o){return this[O](o,t)}}};var Eo=s=>{let t=new xe(s),e=s.file,i=external_node_fs_namespaceObject.statSync(e),r=s.maxReadSize||16*1024*1024;new Be(e,{readSize:r,size:i.size}).pipe(t)},wo=(s,t)=>{let e=new Xt(s),i=s.maxReadSize||16*1024*1024,r=s.file;return new Promise((o,h)=>{e.on("error",h),e.on("close",o),external_node_fs_namespaceObject.stat(r,(a,l)=>{if(a)h(a);else{let c=new _t(r,{readSize:i,size:l.size});c.on("error",h),c.pipe(e)}})})},So=K(Eo,wo,s=>new xe(s),s=>new Xt(s),(s,t)=>{t?.length&&Qi(s,t)});var yo=(s,t)=>{let e=new kt(s),i=!0,r,n;try{try{r=external_node_fs_namespaceObject.openSync(s.file,"r+")}catch(a){if(a?.code==="ENOENT")r=external_node_fs_namespaceObject.openSync(s.file,"w+");else throw a}let o=external_node_fs_namespaceObject.fstatSync(r),h=Buffer.alloc(512);t:for(n=0;n<o.size;n+=512){for(let c=0,d=0;c<512;c+=d){if(d=external_node_fs_namespaceObject.readSync(r,h,c,h.length-c,n+c),n===0&&h[0]===31&&h[1]===139)throw new Error("cannot append to compressed archives");if(!d)break t}let a=new F(h);if(!a.cksumValid)break;let l=512*Math.ceil((a.size||0)/512);if(n+l+512>o.size)break;n+=l,s.mtimeCache&&a.mtime&&s.mtimeCache.set(String(a.path),a.mtime)}i=!1,Ro(s,e,n,r,t)}finally{if(i)try{external_node_fs_namespaceObject.closeSync(r)}catch{}}},Ro=(s,t,e,i,r)=>{let n=new Wt(s.file,{fd:i,start:e});t.pipe(n),bo(t,r)},go=(s,t)=>{t=Array.from(t);let e=new wt(s),i=(n,o,h)=>{let a=(T,D)=>{T?external_node_fs_namespaceObject.close(n,E=>h(T)):h(null,D)},l=0;if(o===0)return a(null,0);let c=0,d=Buffer.alloc(512),y=(T,D)=>{if(T||D===void 0)return a(T);if(c+=D,c<512&&D)return external_node_fs_namespaceObject.read(n,d,c,d.length-c,l+c,y);if(l===0&&d[0]===31&&d[1]===139)return a(new Error("cannot append to compressed archives"));if(c<512)return a(null,l);let E=new F(d);if(!E.cksumValid)return a(null,l);let x=512*Math.ceil((E.size??0)/512);if(l+x+512>o||(l+=x+512,l>=o))return a(null,l);s.mtimeCache&&E.mtime&&s.mtimeCache.set(String(E.path),E.mtime),c=0,external_node_fs_namespaceObject.read(n,d,0,512,l,y)};external_node_fs_namespaceObject.read(n,d,0,512,l,y)};return new Promise((n,o)=>{e.on("error",o);let h="r+",a=(l,c)=>{if(l&&l.code==="ENOENT"&&h==="r+")return h="w+",external_node_fs_namespaceObject.open(s.file,h,a);if(l||!c)return o(l);external_node_fs_namespaceObject.fstat(c,(d,y)=>{if(d)return external_node_fs_namespaceObject.close(c,()=>o(d));i(c,y.size,(T,D)=>{if(T)return o(T);let E=new et(s.file,{fd:c,start:D});e.pipe(E),E.on("error",o),E.on("close",n),_o(e,t)})})};external_node_fs_namespaceObject.open(s.file,h,a)})},bo=(s,t)=>{t.forEach(e=>{e.charAt(0)==="@"?Ct({file:external_node_path_namespaceObject.resolve(s.cwd,e.slice(1)),sync:!0,noResume:!0,onReadEntry:i=>s.add(i)}):s.add(e)}),s.end()},_o=async(s,t)=>{for(let e of t)e.charAt(0)==="@"?await Ct({file:external_node_path_namespaceObject.resolve(String(s.cwd),e.slice(1)),noResume:!0,onReadEntry:i=>s.add(i)}):s.add(e);s.end()},vt=K(yo,go,()=>{throw new TypeError("file is required")},()=>{throw new TypeError("file is required")},(s,t)=>{if(!Bs(s))throw new TypeError("file is required");if(s.gzip||s.brotli||s.zstd||s.file.endsWith(".br")||s.file.endsWith(".tbr"))throw new TypeError("cannot append to compressed archives");if(!t?.length)throw new TypeError("no paths specified to add/replace")});var Oo=K(vt.syncFile,vt.asyncFile,vt.syncNoFile,vt.asyncNoFile,(s,t=[])=>{vt.validate?.(s,t),To(s)}),To=s=>{let t=s.filter;s.mtimeCache||(s.mtimeCache=new Map),s.filter=t?(e,i)=>t(e,i)&&!((s.mtimeCache?.get(e)??i.mtime??0)>(i.mtime??0)):(e,i)=>!((s.mtimeCache?.get(e)??i.mtime??0)>(i.mtime??0))};
//# sourceMappingURL=index.min.js.map

;// CONCATENATED MODULE: ./src/core/archive/tar-format.ts
/**
 * Tar headers for the archive writer (tar-archive.ts), encoded by node-tar's
 * Header and Pax classes: POSIX ustar, with a pax extended header only for
 * what ustar cannot hold (a long path or link target, a size of 8 GiB or
 * more). Owner 0/0 with no user or group names and one fixed mtime: nothing
 * about the machine that packed it, so the same tree gives the same bytes.
 *
 * node-tar encodes the format; we drive the stream. Its own `create` reads
 * each file itself, so the content digest would need a second read of every
 * byte, and it has been seen never to settle on some trees (TESTING-NOTES);
 * the writer reads each file once, into the buffers that are compressed.
 */

const RECORD = 512;
const NODE_TAR_TYPE = { file: 'File', directory: 'Directory', symlink: 'SymbolicLink' };
/** Bytes of the header(s) for one entry: 512, or a pax header and its data first when ustar is not enough. */
function encodeHeader(h) {
    const data = {
        path: h.path,
        type: NODE_TAR_TYPE[h.type],
        mode: h.mode,
        uid: 0,
        gid: 0,
        uname: '',
        gname: '',
        size: h.size,
        mtime: new Date(h.mtime * 1000),
        linkpath: h.linkname ?? ''
    };
    const header = new F(data);
    const needsPax = header.encode();
    const ustar = header.block;
    if (!needsPax)
        return ustar;
    // Only what ustar could not hold goes into the extended header (no atime/ctime: portable).
    const pax = new ft({ path: h.path, linkpath: h.linkname, size: h.size, mtime: data.mtime }, false);
    return Buffer.concat([pax.encode(), ustar]);
}
/** Zero bytes that follow `size` bytes of content to fill the last 512-byte record. */
function padding(size) {
    return (RECORD - (size % RECORD)) % RECORD;
}

;// CONCATENATED MODULE: ./src/core/archive/tar-archive.ts
/**
 * Writes the archive in one pass over the files: each file is read once,
 * straight into the block buffers that are compressed, and hashed from those
 * same buffers (sha256 per file for the content digest) on a thread of its
 * own. The tar stream is cut into fixed-size blocks compressed on all cores
 * (parallel-gzip.ts); the gzip output is hashed and written as it comes back,
 * in order. The main thread only reads, writes and keeps order.
 *
 * Entries are exactly the walk's, in the order given, under `{prefix}/`, with
 * portable headers (tar-format.ts) and one fixed mtime (the commit time), so
 * the same tree gives the same bytes on any machine and with any number of
 * threads.
 *
 * What was true at walk time is checked again when a file is opened: it is
 * opened without following symlinks and must still be a regular file of the
 * walked size, and it must yield exactly that many bytes. A file that was
 * already hashed (by the walk) must hash the same. So the archive, the
 * content digest and the walk cannot silently disagree.
 */










/** sha256 on the calling thread: for small files, and for archives too small to be worth a thread. */
class InlineHasher {
    hashes = new Map();
    update(block, [file, start, end]) {
        let h = this.hashes.get(file);
        if (!h)
            this.hashes.set(file, (h = (0,external_node_crypto_namespaceObject.createHash)('sha256')));
        h.update(block.subarray(start, end));
        return undefined;
    }
    digest(file) {
        const h = this.hashes.get(file) ?? (0,external_node_crypto_namespaceObject.createHash)('sha256');
        this.hashes.delete(file);
        return Promise.resolve(h.digest('hex'));
    }
    async close() { }
}
/** sha256 on its own thread, reading the shared block buffers: it runs beside compression instead of on the main thread. */
class ThreadHasher {
    worker = new HashWorker();
    update(block, range) {
        return this.worker.update(block.buffer, [range]);
    }
    digest(file) {
        return this.worker.digest(file);
    }
    close() {
        return this.worker.close();
    }
}
/** Files up to this size are read synchronously: one syscall each, cheaper than a thread-pool round trip. */
const SMALL_FILE = 256 * 1024;
const readAsync = (0,external_node_util_namespaceObject.promisify)(external_node_fs_namespaceObject.read);
/**
 * Below this much content, hashing on the main thread (sha256 runs at
 * ~1.5 GB/s) costs less than starting a thread for it (~50 ms).
 */
const HASH_THREAD_MIN = 64 * 1024 * 1024;
/**
 * Files smaller than this are hashed on the main thread even when there is a
 * hashing thread: a message to it and back costs more than hashing a small
 * file, and a checkout can hold a hundred thousand of them.
 */
const HASH_THREAD_MIN_FILE = 1024 * 1024;
async function writeArchive(req) {
    req.signal?.throwIfAborted();
    const mtime = Math.floor(req.mtime.getTime() / 1000);
    const estimate = estimateTarBytes(req.entries);
    const file = await (0,promises_namespaceObject.open)(req.dest, 'wx', 0o644);
    const sink = new HashingSink(file);
    const requested = req.threads ?? defaultThreads();
    const blocks = Math.ceil(estimate / BLOCK_SIZE);
    // One block (or less) gains nothing from threads and would pay for starting them.
    const threads = blocks <= 1 ? 0 : Math.min(requested, blocks);
    const gz = new BlockGzip({ level: req.level, threads, sink, signal: req.signal });
    const hashThread = threads > 0 && estimate > HASH_THREAD_MIN ? new ThreadHasher() : undefined;
    const out = new BlockWriter(gz, new InlineHasher(), hashThread);
    out.onContent = req.onProgress;
    /** File digests on their way back from the hasher; each sets (or checks) its entry's sha256. */
    const digests = [];
    const allHashed = async () => {
        await Promise.all(digests.splice(0));
    };
    let written = 0;
    let ok = false;
    try {
        await out.put(encodeHeader({ path: `${req.prefix}/`, type: 'directory', mode: 0o755, size: 0, mtime }));
        written++;
        for (const entry of req.entries) {
            await req.beforeEntry?.(entry, allHashed);
            req.signal?.throwIfAborted();
            const name = `${req.prefix}/${entry.path}`;
            if (entry.type === 'directory') {
                await out.put(encodeHeader({ path: `${name}/`, type: 'directory', mode: entry.mode, size: 0, mtime }));
            }
            else if (entry.type === 'symlink') {
                if (entry.linkTarget === undefined)
                    throw new Error(`symlink ${entry.path} has no target`);
                await out.put(encodeHeader({ path: name, type: 'symlink', mode: 0o777, size: 0, mtime, linkname: entry.linkTarget }));
            }
            else {
                const { digest } = await packFile(req.root, entry, name, mtime, out);
                const settled = digest.then((sha256) => {
                    if (entry.sha256 !== undefined && entry.sha256 !== sha256)
                        throw changed(entry, 'changed content since it was listed');
                    entry.sha256 = sha256;
                });
                // Awaited below (or before the next beforeEntry); this keeps it from counting as unhandled meanwhile.
                settled.catch(() => undefined);
                digests.push(settled);
            }
            written++;
        }
        const expected = req.entries.length + 1;
        if (written !== expected) {
            throw new JobPackagerError('output', `The archive holds ${written} entries but the job folder has ${expected}; the archive was not kept.`);
        }
        await out.zeros(2 * RECORD);
        out.flush();
        await gz.finish();
        await allHashed();
        await file.close();
        ok = true;
    }
    finally {
        await Promise.all([gz.close(), hashThread?.close()]);
        if (!ok) {
            await file.close().catch(() => undefined);
            await (0,promises_namespaceObject.rm)(req.dest, { force: true });
        }
    }
    return { sha256: sink.hash.digest('hex'), bytes: sink.bytes, entries: written, tarBytes: out.total, threads };
}
/**
 * Packs one file. Its sha256 arrives once the hasher has seen all of it;
 * wrapped in an object so that awaiting the packing does not wait for it.
 */
async function packFile(root, entry, name, mtime, out) {
    const abs = external_node_path_default().join(root, entry.path);
    let fd;
    try {
        // O_NOFOLLOW: a file swapped for a symlink since the walk is refused, not followed.
        // O_NONBLOCK: a FIFO swapped in does not block the open (it is refused below).
        fd = (0,external_node_fs_namespaceObject.openSync)(abs, external_node_fs_namespaceObject.constants.O_RDONLY | external_node_fs_namespaceObject.constants.O_NOFOLLOW | external_node_fs_namespaceObject.constants.O_NONBLOCK);
    }
    catch (err) {
        if (err.code === 'ELOOP')
            throw changed(entry, 'became a symlink');
        throw err;
    }
    try {
        const st = (0,external_node_fs_namespaceObject.fstatSync)(fd);
        if (!st.isFile())
            throw changed(entry, 'is no longer a regular file');
        if (st.size !== entry.size)
            throw changed(entry, `changed size (${entry.size} bytes when listed, ${st.size} now)`);
        await out.put(encodeHeader({ path: name, type: 'file', mode: entry.mode, size: st.size, mtime }));
        const { digest } = await out.fromFile(fd, st.size, () => changed(entry, 'shrank while it was being packed'));
        await out.zeros(padding(st.size));
        return { digest };
    }
    finally {
        (0,external_node_fs_namespaceObject.closeSync)(fd);
    }
}
function changed(entry, what) {
    return new UnsafeContentError(`${entry.path} ${what}; something else is writing into the job folder. Nothing was kept.`);
}
/** Upper bound of the tar stream's size, to size the thread pool. */
function estimateTarBytes(entries) {
    let total = 3 * RECORD;
    for (const e of entries)
        total += 3 * RECORD + e.size + padding(e.size);
    return total;
}
/**
 * Fills the compressor's block buffers with the tar stream. Headers are
 * copied in; file content is read from disk directly into the block (each
 * byte is copied once, by the kernel) and handed to the hasher from there.
 */
class BlockWriter {
    gz;
    inline;
    thread;
    block;
    pos = 0;
    /** What the hasher still has to finish before the current block may be reused. */
    holds = [];
    nextFile = 0;
    total = 0;
    /** File content bytes read so far, and who wants to hear of them. */
    content = 0;
    onContent;
    constructor(gz, inline, thread) {
        this.gz = gz;
        this.inline = inline;
        this.thread = thread;
    }
    async put(bytes) {
        for (let off = 0; off < bytes.length;) {
            const block = await this.room();
            const n = Math.min(bytes.length - off, block.length - this.pos);
            block.set(bytes.subarray(off, off + n), this.pos);
            this.advance(n);
            off += n;
        }
    }
    async zeros(count) {
        for (let left = count; left > 0;) {
            const block = await this.room();
            const n = Math.min(left, block.length - this.pos);
            block.fill(0, this.pos, this.pos + n);
            this.advance(n);
            left -= n;
        }
    }
    /**
     * Exactly `size` bytes of `fd` into the stream; `shrank()` is thrown if the
     * file ends early. Returns the content's sha256, which settles later (in
     * an object, so that awaiting the reading does not wait for the hashing).
     */
    async fromFile(fd, size, shrank) {
        const file = this.nextFile++;
        const hasher = this.thread && size >= HASH_THREAD_MIN_FILE ? this.thread : this.inline;
        for (let position = 0; position < size;) {
            const block = await this.room();
            const want = Math.min(size - position, block.length - this.pos);
            const n = size <= SMALL_FILE
                ? (0,external_node_fs_namespaceObject.readSync)(fd, block, this.pos, want, position)
                : (await readAsync(fd, block, this.pos, want, position)).bytesRead;
            if (n === 0)
                throw shrank();
            const hold = hasher.update(block, [file, this.pos, this.pos + n]);
            if (hold) {
                // Taken up by the compressor when the block is submitted; if the run fails first, nobody awaits it.
                hold.catch(() => undefined);
                this.holds.push(hold);
            }
            this.advance(n);
            position += n;
            this.content += n;
            this.onContent?.(this.content);
        }
        const digest = hasher.digest(file);
        // Awaited by the caller later; this keeps a failure from counting as unhandled meanwhile.
        digest.catch(() => undefined);
        return { digest };
    }
    /** Submits the last, partly filled block. */
    flush() {
        if (this.block && this.pos > 0)
            this.submit();
        this.block = undefined;
    }
    advance(n) {
        this.pos += n;
        this.total += n;
    }
    submit() {
        const holds = this.holds;
        this.holds = [];
        const hold = holds.length > 0 ? Promise.all(holds) : undefined;
        // If submit() throws (the run already failed), nothing else will ever await it.
        hold?.catch(() => undefined);
        const block = this.block;
        this.block = undefined;
        this.gz.submit(block, this.pos, hold);
    }
    /** The current block, if it has room; otherwise the full one is submitted and a fresh one acquired. */
    async room() {
        if (this.block && this.pos < this.block.length)
            return this.block;
        if (this.block)
            this.submit();
        this.block = await this.gz.acquire();
        this.pos = 0;
        return this.block;
    }
}
/**
 * Writes the gzip output to the file, hashing it and counting bytes. Chunks
 * are hashed when handed over (in order) and written in the background, one
 * writev after the other, so hashing the next block overlaps this one's write.
 */
class HashingSink {
    file;
    hash = (0,external_node_crypto_namespaceObject.createHash)('sha256');
    bytes = 0;
    queue = Promise.resolve();
    constructor(file) {
        this.file = file;
    }
    write(chunks) {
        for (const c of chunks)
            this.hash.update(c);
        const next = this.queue.then(() => this.writeAll(chunks.filter((c) => c.length > 0)));
        // A failed write fails every later one too: nothing may land after a hole.
        this.queue = next;
        return next;
    }
    async writeAll(chunks) {
        let pending = chunks;
        while (pending.length > 0) {
            const { bytesWritten } = await this.file.writev(pending);
            if (bytesWritten === 0)
                throw new Error('the archive file accepted no more bytes');
            this.bytes += bytesWritten;
            // writev may write less than asked (a signal, a nearly full disk): continue from there.
            let skip = bytesWritten;
            while (pending.length > 0 && skip >= pending[0].length)
                skip -= pending.shift().length;
            if (skip > 0)
                pending = [pending[0].subarray(skip), ...pending.slice(1)];
        }
    }
}

;// CONCATENATED MODULE: ./src/core/fs/sha256.ts


/** sha256 of a file, streamed in 1 MiB reads (constant memory). */
async function sha256File(file) {
    const hash = (0,external_node_crypto_namespaceObject.createHash)('sha256');
    for await (const chunk of (0,external_node_fs_namespaceObject.createReadStream)(file, { highWaterMark: 1024 * 1024 }))
        hash.update(chunk);
    return hash.digest('hex');
}

;// CONCATENATED MODULE: ./src/core/archive/symlinks.ts
/**
 * Where the symlinks of a tree lead, taken together. Checking each link on its
 * own, by its text, is not enough: with `d1/…/d8/up -> ../../../../../../../..`
 * (the tree's root: fine on its own) and
 * `d1/…/d8/esc -> up/../../…/etc/passwd` (lexically `d1/…/d8/etc/passwd`:
 * also fine on its own), `cat esc` reads the host's /etc/passwd, because the
 * kernel resolves `up` first and then climbs from the root.
 *
 * So every link is also resolved the way the kernel resolves it, component by
 * component, through the tree's other links (following chains), from where
 * the link sits; a `..` above the tree's root is an escape. A component that
 * does not exist or is not a directory is passed through as if it were a
 * directory (the kernel would stop there; treating it as a directory is the
 * stricter reading, and equals the lexical one). Chains deeper than
 * MAX_LINK_DEPTH and loops are refused: they can never be proved to stay
 * inside, and no legitimate tree needs them.
 *
 * The tree is the package: the job folder, and the archive once unpacked. It
 * holds only what the walk listed, and nothing else can be created in it by
 * unpacking, so resolving through the listed entries is resolving through
 * what will be on disk.
 */

/** Links followed in one resolution; Linux gives up (ELOOP) after 40 as well. */
const MAX_LINK_DEPTH = 40;
function checkSymlinkChains(entries) {
    const byPath = new Map(entries.map((e) => [e.path, e]));
    // A link's resolution does not depend on who follows it: each is worked out once.
    const resolved = new Map();
    // The links being resolved, outermost first: a loop shows up as a repeat.
    const chain = [];
    const resolveLink = (link) => {
        const done = resolved.get(link.path);
        if (done)
            return done;
        const loopAt = chain.indexOf(link);
        if (loopAt >= 0) {
            const loop = [...chain.slice(loopAt), link].map((l) => l.path).join(' -> ');
            throw new UnsafeContentError(`${chain[0].path} is a symlink that leads into a loop of symlinks (${loop}); a loop cannot be packaged. Symlinks must resolve to a place inside the package.`);
        }
        if (chain.length >= MAX_LINK_DEPTH) {
            throw new UnsafeContentError(`${chain[0].path} is a symlink that leads through more than ${MAX_LINK_DEPTH} symlinks in a row; such a chain cannot be packaged. Symlinks must resolve to a place inside the package.`);
        }
        chain.push(link);
        const at = link.path.split('/').slice(0, -1);
        const followed = [];
        for (const part of (link.linkTarget ?? '').split('/')) {
            if (part === '' || part === '.')
                continue;
            if (part === '..') {
                if (at.length === 0)
                    throw escapes(link, followed);
                at.pop();
                continue;
            }
            at.push(part);
            const entry = byPath.get(at.join('/'));
            if (entry?.type === 'symlink') {
                const inner = resolveLink(entry);
                at.splice(0, at.length, ...inner.at);
                for (const l of [entry, ...inner.via])
                    if (!followed.includes(l))
                        followed.push(l);
            }
        }
        chain.pop();
        const result = { at, via: followed };
        resolved.set(link.path, result);
        return result;
    };
    for (const entry of entries)
        if (entry.type === 'symlink')
            resolveLink(entry);
}
function escapes(link, followed) {
    const via = followed.length === 0
        ? ''
        : ` once ${followed.map((l) => `${l.path} (-> ${JSON.stringify(l.linkTarget)})`).join(', ')} ${followed.length === 1 ? 'is' : 'are'} followed`;
    return new UnsafeContentError(`${link.path} is a symlink to ${JSON.stringify(link.linkTarget)}, which points outside the package${via}; symlinks must stay inside it.`);
}

;// CONCATENATED MODULE: ./src/core/archive/walk.ts
/**
 * Walks the job folder in a fixed order and describes every entry the archive
 * will hold. The walk is the single source of truth for the archive: what it
 * does not list is not packed, and the archive's entry count is checked
 * against it.
 *
 * It refuses what must not travel: a symlink that leaves the tree (absolute,
 * or `..` past the root, by its own text or once the tree's other links are
 * followed: symlinks.ts), and FIFOs, sockets and devices, which also make
 * node-tar hang. Links are never followed on disk. Modes are normalised on disk
 * (0755 for directories and executables, 0644 for other files) so that the
 * umask of the machine that checked the code out does not change the bytes.
 */






/** Byte-wise order of UTF-8 paths: the same on every platform, unlike readdir's. */
function comparePaths(a, b) {
    return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
async function walkTree(root, options = {}) {
    const entries = [];
    const hashNow = typeof options.hash === 'function' ? options.hash : () => options.hash ?? true;
    const visit = async (rel) => {
        options.signal?.throwIfAborted();
        const abs = external_node_path_default().join(root, rel);
        const names = (await (0,promises_namespaceObject.readdir)(abs)).sort((a, b) => comparePaths(a, b));
        for (const name of names) {
            const childRel = rel ? `${rel}/${name}` : name;
            if (options.exclude?.has(childRel))
                continue;
            const childAbs = external_node_path_default().join(root, childRel);
            const st = await (0,promises_namespaceObject.lstat)(childAbs);
            if (st.isSymbolicLink()) {
                const target = await (0,promises_namespaceObject.readlink)(childAbs);
                checkLinkTarget(childRel, target);
                entries.push({ path: childRel, type: 'symlink', mode: 0o777, size: 0, linkTarget: target, sha256: sha256Text(target) });
            }
            else if (st.isDirectory()) {
                if (!options.readOnly)
                    await (0,promises_namespaceObject.chmod)(childAbs, 0o755);
                entries.push({ path: childRel, type: 'directory', mode: 0o755, size: 0 });
                await visit(childRel);
            }
            else if (st.isFile()) {
                const mode = st.mode & 0o100 ? 0o755 : 0o644;
                if (!options.readOnly && (st.mode & 0o7777) !== mode)
                    await (0,promises_namespaceObject.chmod)(childAbs, mode);
                entries.push({
                    path: childRel,
                    type: 'file',
                    mode,
                    size: st.size,
                    sha256: hashNow(childRel) ? await sha256File(childAbs) : undefined
                });
            }
            else {
                const kind = st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : 'a device file';
                throw new UnsafeContentError(`${childRel} is ${kind}; only regular files, directories and symlinks inside the tree can be packaged.`);
            }
        }
    };
    await visit('');
    checkSymlinkChains(entries);
    return entries;
}
/** A symlink may point anywhere inside the tree, never out of it (by its own text; symlinks.ts follows chains). */
function checkLinkTarget(rel, target) {
    if (external_node_path_default().posix.isAbsolute(target) || external_node_path_default().win32.isAbsolute(target)) {
        throw new UnsafeContentError(`${rel} is a symlink to the absolute path ${JSON.stringify(target)}; symlinks must stay inside the package.`);
    }
    const resolved = external_node_path_default().posix.normalize(external_node_path_default().posix.join(external_node_path_default().posix.dirname(rel), target));
    if (resolved === '..' || resolved.startsWith('../')) {
        throw new UnsafeContentError(`${rel} is a symlink to ${JSON.stringify(target)}, which points outside the package; symlinks must stay inside it.`);
    }
}
function sha256Text(text) {
    return (0,external_node_crypto_namespaceObject.createHash)('sha256').update(text).digest('hex');
}

;// CONCATENATED MODULE: ./src/core/options/names.ts
const defaultNamer = (key, value) => (value === undefined ? key : `${key}: ${value}`);

;// CONCATENATED MODULE: ./src/core/redact.ts
/**
 * Redaction, in two kinds that are never mixed:
 *
 * - Structural (`redactUrl`), for what is recorded (job.json, the provenance
 *   statement) as well as for messages: a URL loses its userinfo and its
 *   whole query string, where signed-URL credentials live (S3's
 *   `X-Amz-Signature`, Azure's SAS `sig`, GCS's `X-Goog-Signature`, a
 *   `token=`). What a URL keeps (scheme, host, port, path) is never rewritten.
 * - By value (`Redactor`), for log lines and error messages only: every
 *   occurrence of a registered secret is replaced. It takes only secrets the
 *   user gave (the token, the data token) and values secret by construction
 *   (a registry's bearer token), never a string a server merely calls a
 *   header: a server could name any text (`1.2.3.4:8080`) and have it masked
 *   wherever it occurs. Recorded fields never go through it, so no secret,
 *   whoever chose it, can change what job.json or the statement says.
 *
 * Secrets shorter than `MIN_SECRET_CHARS` are not registered: a 1–3 character
 * "token" would mask every occurrence of those characters, and is no secret
 * anyway. A user's longer secret is masked wherever it occurs, even inside
 * common text: the log then shows `***` where that text was, which is the
 * user's own choice of token and the safe side. A registry token is the
 * server's choice: registry-client.ts uses only one of at least 16
 * characters, so a registry cannot mask a short, common string either.
 */
const REDACTED = '***';
/** Replaces `user:pass@` and `?query` in every URL-looking run of `text`. */
function redactUrl(text) {
    return text
        .replace(/([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/gi, `$1${REDACTED}@`)
        .replace(/([a-z][a-z0-9+.-]*:\/\/[^\s?#]*)\?[^\s#]*/gi, `$1?${REDACTED}`);
}
/**
 * Renders a user value for an error message: redacted, control characters made
 * visible, and shortened so a 200 KB input cannot flood a log.
 */
function describeValue(value, max = 120) {
    // eslint-disable-next-line no-control-regex -- finding control characters is the point: they are shown escaped
    const visible = redactUrl(value).replace(/[\u0000-\u001f\u007f]/g, (c) => {
        const code = c.charCodeAt(0);
        return code === 10 ? '\\n' : code === 13 ? '\\r' : code === 9 ? '\\t' : `\\x${code.toString(16).padStart(2, '0')}`;
    });
    const short = visible.length > max ? `${visible.slice(0, max)}… (${value.length} characters)` : visible;
    return JSON.stringify(short);
}
/** Shorter secrets are not registered (see above). */
const MIN_SECRET_CHARS = 4;
/** Removes every occurrence of each secret (and its base64 forms) from log text. Never for recorded fields. */
class Redactor {
    secrets = [];
    /** Registers a user's secret or one secret by construction; never a value a server chose to send as a header. */
    add(secret) {
        if (!secret || secret.length < MIN_SECRET_CHARS)
            return;
        for (const form of [secret, Buffer.from(secret).toString('base64'), Buffer.from(`x-access-token:${secret}`).toString('base64')]) {
            if (!this.secrets.includes(form))
                this.secrets.push(form);
        }
        // Longest first: the token's own base64 is a suffix of the `x-access-token:` form's.
        this.secrets.sort((a, b) => b.length - a.length);
    }
    apply(text) {
        let out = redactUrl(text);
        for (const secret of this.secrets)
            out = out.split(secret).join(REDACTED);
        return out;
    }
}
/**
 * Whether a URL as it will be recorded (after `redactUrl`) still holds one
 * of the user's secrets, e.g. a token pasted into a dataset's path: recorded
 * fields are never string-redacted, so such a URL is refused before anything
 * is fetched rather than published in job.json. The caller words it.
 */
function recordedUrlHoldsSecret(url, secrets) {
    const recorded = redactUrl(url);
    return secrets.some((secret) => secret !== undefined && secret.length >= MIN_SECRET_CHARS && recorded.includes(secret));
}

;// CONCATENATED MODULE: ./src/core/detect/files.ts
/**
 * The only way detection reads the checked-out code. It looks at names
 * directly inside code/ (never a path with a separator, so nothing can walk
 * out of the tree), uses lstat so a symlink is reported rather than followed
 * (a requirements.txt pointing at /etc/shadow or at another checkout must
 * never be read, nor copied into the image as a dependency manifest), and
 * caps how much it reads: a 2 GB "package.json" must not exhaust memory.
 */




/** Dependency manifests are small; anything larger is not one we trust to parse. */
const MAX_MANIFEST_BYTES = 1024 * 1024;
/** Lockfiles are hashed (for job.json), never parsed whole; a larger one is not reported by hash. */
const MAX_HASHED_BYTES = 256 * 1024 * 1024;
async function openCodeFiles(codeDir, folder = '') {
    let names = [];
    try {
        names = (await (0,promises_namespaceObject.readdir)(codeDir)).sort();
    }
    catch (err) {
        if (err.code !== 'ENOENT')
            throw err;
    }
    const present = new Set(names);
    const cache = new Map();
    const read = (name, maxBytes = MAX_MANIFEST_BYTES) => {
        checkName(name);
        const key = `${name}\u0000${maxBytes}`;
        let hit = cache.get(key);
        if (!hit) {
            hit = readOne(codeDir, name, maxBytes, present.has(name));
            cache.set(key, hit);
        }
        return hit;
    };
    const isRegularFile = async (name) => {
        checkName(name);
        if (!present.has(name))
            return false;
        return (await (0,promises_namespaceObject.lstat)(external_node_path_default().join(codeDir, name))).isFile();
    };
    return {
        names,
        read,
        isRegularFile,
        path: (name) => (folder === '' ? name : `${folder}/${name}`),
        head: async (name, bytes) => {
            if (!(await isRegularFile(name)))
                return undefined;
            return (await readCapped(external_node_path_default().join(codeDir, name), bytes)).subarray(0, bytes).toString('utf8');
        },
        sha256: async (name) => {
            if (!(await isRegularFile(name)))
                return undefined;
            return hashCapped(external_node_path_default().join(codeDir, name), MAX_HASHED_BYTES);
        }
    };
}
function checkName(name) {
    if (name === '' || name.includes('/') || name.includes((external_node_path_default()).sep) || name === '.' || name === '..')
        throw new Error(`detection reads top-level names only, got ${JSON.stringify(name)}`);
}
/** Reads at most `maxBytes + 1` bytes, so "larger than the cap" is visible without reading the rest. */
async function readCapped(file, maxBytes) {
    // O_NOFOLLOW: if the file were swapped for a symlink between lstat and open, open fails instead of
    // following it; O_NONBLOCK: a FIFO swapped in cannot block the open. fstat then checks what was opened.
    const handle = await (0,promises_namespaceObject.open)(file, external_node_fs_namespaceObject.constants.O_RDONLY | external_node_fs_namespaceObject.constants.O_NOFOLLOW | external_node_fs_namespaceObject.constants.O_NONBLOCK);
    try {
        if (!(await handle.stat()).isFile())
            throw new Error(`${external_node_path_default().basename(file)} is not a regular file`);
        const buf = Buffer.alloc(maxBytes + 1);
        let length = 0;
        while (length < buf.length) {
            const { bytesRead } = await handle.read(buf, length, buf.length - length, length);
            if (bytesRead === 0)
                break;
            length += bytesRead;
        }
        return buf.subarray(0, length);
    }
    finally {
        await handle.close();
    }
}
/** Streams a file through sha256 with the same open flags as readCapped; undefined when it is over the cap. */
async function hashCapped(file, maxBytes) {
    const handle = await (0,promises_namespaceObject.open)(file, external_node_fs_namespaceObject.constants.O_RDONLY | external_node_fs_namespaceObject.constants.O_NOFOLLOW | external_node_fs_namespaceObject.constants.O_NONBLOCK);
    try {
        if (!(await handle.stat()).isFile())
            return undefined;
        const hash = (0,external_node_crypto_namespaceObject.createHash)('sha256');
        const buf = Buffer.alloc(1024 * 1024);
        let total = 0;
        for (;;) {
            const { bytesRead } = await handle.read(buf, 0, buf.length, null);
            if (bytesRead === 0)
                break;
            total += bytesRead;
            if (total > maxBytes)
                return undefined;
            hash.update(buf.subarray(0, bytesRead));
        }
        return hash.digest('hex');
    }
    finally {
        await handle.close();
    }
}
async function readOne(codeDir, name, maxBytes, present) {
    if (!present)
        return { state: 'missing' };
    const file = external_node_path_default().join(codeDir, name);
    const st = await (0,promises_namespaceObject.lstat)(file);
    if (st.isSymbolicLink())
        return { state: 'symlink' };
    if (!st.isFile())
        return { state: 'not-a-file' };
    if (st.size > maxBytes)
        return { state: 'too-large', size: st.size };
    const buf = await readCapped(file, maxBytes);
    if (buf.length > maxBytes)
        return { state: 'too-large', size: st.size };
    return { state: 'ok', text: buf.toString('utf8').replace(/^\uFEFF/, ''), size: buf.length };
}
/** Why a file was not used, for notes and logs. */
function describeUnreadable(name, status, maxBytes = MAX_MANIFEST_BYTES) {
    switch (status.state) {
        case 'symlink':
            return `${name} is a symbolic link; ignored (detection never follows links, which could point outside the code)`;
        case 'not-a-file':
            return `${name} is not a regular file; ignored`;
        case 'too-large':
            return `${name} is ${status.size} bytes, over the ${maxBytes}-byte limit for a manifest; ignored`;
    }
}

;// CONCATENATED MODULE: ./src/core/detect/apt.ts
/**
 * apt.txt: Debian packages to install into the image, one per line, `#`
 * comments allowed. Each name is checked against Debian's rules for package
 * names (an optional `:arch` and `=version` pin are allowed) before it can
 * reach an `apt-get install` line, so no line can add an option (`-o …`), a
 * second command or a new Dockerfile instruction. Lines that fail are left
 * out and reported.
 */


// Debian policy 5.6.1: lower-case letters, digits, + - . ; at least two characters, starting with an alphanumeric.
const APT_PACKAGE = /^[a-z0-9][a-z0-9+.-]{1,99}(?::[a-z0-9][a-z0-9-]{0,31})?(?:=[0-9][A-Za-z0-9.+~:-]{0,99})?$/;
const MAX_APT_PACKAGES = 200;
async function detectApt(files, report) {
    const status = await files.read('apt.txt', 64 * 1024);
    if (status.state === 'missing')
        return undefined;
    if (status.state !== 'ok') {
        report.warnings.push(describeUnreadable('apt.txt', status, 64 * 1024));
        return undefined;
    }
    const { packages, rejected } = parseAptList(status.text);
    for (const r of rejected)
        report.warnings.push(`apt.txt: ${r}`);
    if (packages.length === 0)
        report.notes.push('apt.txt lists no packages');
    return packages;
}
function parseAptList(text) {
    const packages = [];
    const rejected = [];
    const lines = text.split(/\r?\n/);
    lines.forEach((raw, i) => {
        const line = raw.replace(/#.*/, '').trim();
        if (line === '')
            return;
        if (!APT_PACKAGE.test(line)) {
            rejected.push(`line ${i + 1} ${describeValue(line, 60)} is not a Debian package name (one per line: name, name:arch or name=version); left out`);
            return;
        }
        if (packages.includes(line))
            return;
        if (packages.length >= MAX_APT_PACKAGES) {
            rejected.push(`line ${i + 1}: more than ${MAX_APT_PACKAGES} packages; the rest are left out`);
            return;
        }
        packages.push(line);
    });
    // Only the first "too many" message is useful.
    const firstTooMany = rejected.findIndex((r) => r.includes('more than'));
    return { packages, rejected: rejected.filter((r, i) => !r.includes('more than') || i === firstTooMany) };
}
/**
 * The apt.txt step and its report: a package without `=version` floats within
 * the base image's Debian release; with one, its own dependencies still do.
 */
async function aptInstallPlan(packages, files) {
    if (packages.length === 0)
        return { steps: [], installs: [], floats: [] };
    const unpinned = packages.filter((p) => !p.includes('='));
    return {
        steps: [
            {
                from: files.path('apt.txt'),
                stage: 'system',
                copy: [],
                run: `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${packages.join(' ')} && rm -rf /var/lib/apt/lists/*`
            }
        ],
        installs: [
            {
                ecosystem: 'debian',
                file: files.path('apt.txt'),
                sha256: await files.sha256('apt.txt'),
                installer: 'apt-get install',
                pinning: unpinned.length === 0 ? 'partial' : unpinned.length < packages.length ? 'partial' : 'none'
            }
        ],
        floats: unpinned.map((name) => ({
            kind: 'system-package',
            ecosystem: 'debian',
            name,
            from: files.path('apt.txt'),
            why: 'no =version: the mirror decides at build time'
        }))
    };
}

;// CONCATENATED MODULE: ./src/core/detect/binder.ts
/**
 * Configuration folders (the Reproducible Execution Environment
 * Specification, as Binder and repo2docker read it): when the repository has
 * a `binder/` or a `.binder/` folder, the environment files are read from
 * that folder, and the ones at the root are ignored. Three files of the
 * specification are read at the root only, and not at all when there is a
 * folder: setup.py, pyproject.toml and DESCRIPTION (they describe the project
 * itself, which lives at the root).
 *
 * The specification treats the two folders as exclusive. A repository with
 * both is packaged rather than refused (the commit cannot be changed by the
 * person packaging it): binder/ is used and .binder/ is named as ignored.
 *
 * Detection then sees one view of the code (configurationView): the
 * environment files of the folder, under their own names, and the root's
 * entries that are not environment files (code such as main.py, which hint
 * at the language). Every environment file left out of the view is named in
 * a note or a warning, so nothing is ignored silently.
 */



const CONFIG_FOLDERS = ['binder', '.binder'];
/** The specification's own list of configuration files. */
const SPEC_FILES = [
    'environment.yml',
    'Pipfile',
    'Pipfile.lock',
    'requirements.txt',
    'setup.py',
    'pyproject.toml',
    'Project.toml',
    'REQUIRE',
    'install.R',
    'DESCRIPTION',
    'apt.txt',
    'postBuild',
    'start',
    'runtime.txt',
    'default.nix',
    'Dockerfile'
];
/** Read at the root only; ignored when a configuration folder is used (the specification's rule). */
const ROOT_ONLY = ['setup.py', 'pyproject.toml', 'DESCRIPTION'];
/** What is read from a configuration folder: the specification's files (less ROOT_ONLY) and the locks that go with them. */
const FOLDER_FILES = [
    'environment.yml',
    'environment.yaml',
    'Pipfile',
    'Pipfile.lock',
    'requirements.txt',
    'Project.toml',
    'Manifest.toml',
    'REQUIRE',
    'install.R',
    'apt.txt',
    'postBuild',
    'start',
    'runtime.txt',
    'default.nix',
    'shell.nix',
    'Dockerfile'
];
/**
 * Every file at the root that says something about the environment, for any
 * detector: with a configuration folder, these are left out of the view and
 * named as ignored. Anything else at the root (the code) stays visible.
 */
const ROOT_ENVIRONMENT_FILES = new Set([
    ...SPEC_FILES,
    ...FOLDER_FILES,
    'uv.lock',
    'poetry.lock',
    'conda-linux-64.lock',
    'conda-lock.yml',
    '.python-version',
    'package.json',
    'package-lock.json',
    'npm-shrinkwrap.json',
    'pnpm-lock.yaml',
    'pnpm-workspace.yaml',
    'yarn.lock',
    'bun.lock',
    'bun.lockb',
    '.nvmrc',
    '.node-version',
    '.npmrc',
    '.yarnrc',
    '.yarnrc.yml',
    'bunfig.toml',
    'renv.lock'
]);
const REQUIREMENTS_FILE = /^requirements[A-Za-z0-9._-]{0,100}\.txt$/;
function isRootEnvironmentFile(name) {
    return ROOT_ENVIRONMENT_FILES.has(name) || REQUIREMENTS_FILE.test(name);
}
/** Chooses the configuration folder and returns the view detection reads through. */
async function configurationView(codeDir, root, report) {
    const folders = [];
    for (const name of CONFIG_FOLDERS) {
        if (!root.names.includes(name))
            continue;
        const st = await (0,promises_namespaceObject.lstat)(external_node_path_default().join(codeDir, name));
        if (st.isDirectory())
            folders.push(name);
        else if (st.isSymbolicLink())
            report.warnings.push(`${name} is a symbolic link; it is not used as a configuration folder (detection never follows links), so the environment files at the root are read`);
    }
    const folder = folders[0];
    if (!folder)
        return { files: root, ignoredAtRoot: [] };
    if (folders.length > 1)
        report.warnings.push('the repository has both binder/ and .binder/, which the specification allows only one of; binder/ is used and everything in .binder/ is ignored');
    const inFolder = await openCodeFiles(external_node_path_default().join(codeDir, folder), folder);
    const fromFolder = inFolder.names.filter((n) => FOLDER_FILES.includes(n));
    const notRead = inFolder.names.filter((n) => !fromFolder.includes(n) && isRootEnvironmentFile(n));
    const ignoredAtRoot = root.names.filter((n) => isRootEnvironmentFile(n));
    const fromRoot = root.names.filter((n) => !isRootEnvironmentFile(n) && !CONFIG_FOLDERS.includes(n));
    report.notes.push(`${folder}/ holds the environment files (the Reproducible Execution Environment Specification's rule): ${fromFolder.length > 0 ? fromFolder.map((n) => `${folder}/${n}`).join(', ') : 'none that job-packager reads'}`);
    if (ignoredAtRoot.length > 0)
        report.warnings.push(`${folder}/ is the configuration folder, so these files at the root are ignored: ${ignoredAtRoot.join(', ')} (move what the job needs into ${folder}/)`);
    for (const name of notRead)
        report.warnings.push(ROOT_ONLY.includes(name)
            ? `${folder}/${name} is ignored: the specification reads ${name} only at the root, and not at all when there is a configuration folder`
            : `${folder}/${name} is ignored: job-packager reads only ${FOLDER_FILES.join(', ')} from a configuration folder`);
    const where = (name) => (fromFolder.includes(name) ? inFolder : root);
    const visible = new Set([...fromFolder, ...fromRoot]);
    const missing = { state: 'missing' };
    return {
        folder,
        ignoredAtRoot,
        files: {
            names: [...visible].sort(),
            read: async (name, maxBytes) => (visible.has(name) ? where(name).read(name, maxBytes) : missing),
            head: async (name, bytes) => (visible.has(name) ? where(name).head(name, bytes) : undefined),
            isRegularFile: async (name) => visible.has(name) && where(name).isRegularFile(name),
            sha256: async (name) => (visible.has(name) ? where(name).sha256(name) : undefined),
            path: (name) => where(name).path(name)
        }
    };
}
/**
 * postBuild and start, from the configuration folder or the root.
 * - postBuild runs at the end of the build, as the job's user, from where it
 *   is in code/ (copied with the code, never written into the Dockerfile).
 * - start wraps the command at run time: run.sh runs `start /bin/sh run.sh`
 *   once, and start must end with `exec "$@"`. Recorded in job.json, so
 *   verify renders the same run.sh.
 * Both are made executable in the image (the specification does not require
 * the executable bit in the commit); on the host, run.sh needs start to be
 * executable in the checkout, which a note says when it is not.
 */
async function detectScripts(files, codeDir, report) {
    const steps = [];
    const reasons = [];
    let start;
    for (const name of ['start', 'postBuild']) {
        if (!files.names.includes(name))
            continue;
        const at = files.path(name);
        if (!(await files.isRegularFile(name))) {
            report.warnings.push(`${at} is not a regular file (a symbolic link or a folder); it is not run`);
            continue;
        }
        const mode = (await (0,promises_namespaceObject.lstat)(external_node_path_default().join(codeDir, at))).mode;
        if ((mode & 0o111) === 0)
            report.notes.push(name === 'start'
                ? `${at} is not executable in the commit: the image makes it executable, but run.sh on a host (the none engine) cannot run it`
                : `${at} is not executable in the commit; the image makes it executable before running it`);
        if (name === 'start') {
            start = at;
            steps.push({ from: at, stage: 'post-build', copy: [], run: `chmod +x ${at}` });
            reasons.push(`${at}: wraps the command (start CMD...)`);
        }
        else {
            steps.push({ from: at, stage: 'post-build', copy: [], run: `chmod +x ${at} && ./${at}` });
            reasons.push(`${at}: run at the end of the build, as the job's user`);
        }
    }
    for (const name of ['default.nix', 'shell.nix'])
        if (files.names.includes(name))
            report.warnings.push(`${files.path(name)} is not supported: job-packager does not build Nix environments; the image is generated from the other environment files, without Nix`);
    if (files.names.includes('Dockerfile') && files.path('Dockerfile') !== 'Dockerfile')
        report.warnings.push(`${files.path('Dockerfile')} is not used: job-packager builds a repository's own Dockerfile only from code/Dockerfile (use-repo-dockerfile); the image is generated from the other environment files`);
    return { steps, start, reasons };
}

;// CONCATENATED MODULE: ./src/core/detect/python/conda.ts
const MICROMAMBA_VERSION = '1.5.10';
const MICROMAMBA_IMAGE = `mambaorg/micromamba:${MICROMAMBA_VERSION}-bookworm-slim`;
const CONDA_FILES = ['conda-linux-64.lock', 'conda-lock.yml', 'environment.yml', 'environment.yaml'];
/** The conda file that wins, if any (the explicit lock only when it says @EXPLICIT). */
async function findCondaFile(ctx) {
    for (const name of CONDA_FILES) {
        if (!(await ctx.files.isRegularFile(name)))
            continue;
        if (name === 'conda-linux-64.lock' && !/^@EXPLICIT\s*$/m.test((await ctx.files.head(name, 64 * 1024)) ?? '')) {
            ctx.report.warnings.push('conda-linux-64.lock has no @EXPLICIT line, so it is not an explicit lock; ignored');
            continue;
        }
        return name;
    }
    return undefined;
}
async function planConda(ctx, file) {
    const locked = file === 'conda-linux-64.lock' || file === 'conda-lock.yml';
    let floats = [];
    let local = false;
    let channel = '';
    let pinning = 'locked';
    if (!locked) {
        const text = await ctx.files.read(file);
        if (text.state === 'ok') {
            // micromamba 1.5 has no default channel: a file without channels would find no package.
            if (!/^channels\s*:/m.test(text.text)) {
                channel = ' --channel conda-forge';
                ctx.report.notes.push(`${ctx.files.path(file)} names no channels: conda-forge is used (--channel conda-forge; micromamba ${MICROMAMBA_VERSION} has no default channel)`);
            }
            if (!/^dependencies\s*:/m.test(text.text))
                ctx.report.warnings.push(`${ctx.files.path(file)} has no top-level dependencies: list; micromamba installs nothing from it`);
        }
        const scan = text.state === 'ok' ? scanEnvironmentYml(text.text) : { conda: [], pip: [], local: false, entries: 0 };
        local = scan.local;
        const unpinned = scan.conda.length + scan.pip.length;
        pinning = unpinned < scan.entries ? 'partial' : 'none';
        floats = [
            ...scan.conda.map((name) => ({
                kind: 'requirement',
                ecosystem: 'conda',
                name,
                from: file,
                why: 'no exact pin: the solver chooses the version at build time'
            })),
            ...scan.pip.map((name) => ({
                kind: 'requirement',
                ecosystem: 'python',
                name,
                from: file,
                why: 'pip requirement without an exact == pin'
            })),
            {
                kind: 'unlisted-dependencies',
                ecosystem: 'conda',
                name: file,
                from: file,
                why: 'dependencies of the listed packages are solved at build time'
            }
        ];
    }
    const at = ctx.files.path(file);
    for (const other of CONDA_FILES)
        if (other !== file && (await ctx.files.isRegularFile(other)))
            ctx.report.notes.push(`${ctx.files.path(other)} is also present; ${at} is used`);
    const run = `micromamba install --yes --name base --file ${at}${channel} && micromamba clean --all --yes`;
    return {
        steps: [local ? { from: at, stage: 'after-code', copy: [], run } : { from: at, stage: 'before-code', copy: [at], run }],
        installs: [
            {
                ecosystem: 'conda',
                file: at,
                sha256: await ctx.files.sha256(file),
                installer: `micromamba ${MICROMAMBA_VERSION}: micromamba install --file ${at}`,
                pinning
            }
        ],
        floats,
        env: ['PATH=/opt/conda/bin:${PATH}'],
        baseImage: MICROMAMBA_IMAGE,
        asRoot: true,
        runtime: 'conda',
        reasons: [`${at}: micromamba install${local ? ' (after the code: its pip section installs local paths)' : ''}`]
    };
}
/**
 * environment.yml's `dependencies:` list read line by line (no YAML library
 * is needed for a list of strings): conda specs, and the `pip:` sub-list.
 * Returns the names that are not pinned exactly (`name==1.2` or
 * `name=1.2=build` for conda, `name==1.2` for pip), and whether a pip entry
 * is a local path.
 */
function scanEnvironmentYml(text) {
    const conda = [];
    const pip = [];
    let local = false;
    let entries = 0;
    let inDeps = false;
    let pipIndent = -1;
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.replace(/\s+#.*$/, '');
        if (/^\S/.test(line)) {
            inDeps = /^dependencies\s*:/.test(line);
            pipIndent = -1;
            continue;
        }
        if (!inDeps)
            continue;
        const m = /^(\s*)-\s*(.+?)\s*$/.exec(line);
        if (!m)
            continue;
        const indent = m[1].length;
        const item = m[2].replace(/^["']|["']$/g, '');
        if (pipIndent >= 0 && indent > pipIndent) {
            entries++;
            if (/^(-e|--editable)\b|^(\.|\/|~|file:)/.test(item))
                local = true;
            else if (!/^[A-Za-z0-9._-]+(\[[^\]]*\])?\s*===?\s*[A-Za-z0-9.+!_-]+$/.test(item))
                pip.push(item.split(/[\s<>=!~;[@]/)[0] || item);
            continue;
        }
        pipIndent = -1;
        if (/^pip\s*:$/.test(item)) {
            pipIndent = indent;
            continue;
        }
        entries++;
        const spec = item.replace(/^[A-Za-z0-9_.-]+::/, '');
        if (!/^[A-Za-z0-9_.-]+(==[^=\s*]+|=[^=\s*]+=\S+)$/.test(spec))
            conda.push(spec.split(/[\s<>=!~]/)[0] || spec);
    }
    return { conda, pip, local, entries };
}

;// CONCATENATED MODULE: ./src/core/detect/python/plan.ts
const PIP_INSTALL = 'python3 -m pip install --no-cache-dir';
/** A table of a parsed TOML document, or undefined. */
function table(doc, ...keys) {
    let at = doc;
    for (const key of keys) {
        if (!at || typeof at !== 'object' || Array.isArray(at))
            return undefined;
        at = at[key];
    }
    return at && typeof at === 'object' && !Array.isArray(at) && !(at instanceof Date) ? at : undefined;
}
/**
 * Installs the project itself once the code is there. After a lock, `--no-deps`:
 * its dependencies came from the lock, and pip must not resolve more.
 */
/**
 * Shell that sets $TOOL to the base image's `tool` when it has one (and says
 * which version, in the build log), else installs `pipSpec` into a throwaway
 * virtual environment under /tmp — never where an image keeps its own tool —
 * and points $TOOL there. The caller removes /tmp/{tool}-venv afterwards.
 */
function imageToolOrPinned(tool, lock, shown, pipSpec) {
    const venv = `/tmp/${tool}-venv`;
    return (`if command -v ${tool} >/dev/null; then ${tool}=${tool} && echo "${lock}: the base image's $(${tool} --version)"; ` +
        `else echo "${lock}: no ${tool} in the base image; installing ${shown} for the build" && python3 -m venv ${venv} && ${venv}/bin/pip install --no-cache-dir ${pipSpec} && ${tool}=${venv}/bin/${tool}; fi`);
}
function projectStep(ctx, noDeps) {
    if (!ctx.project)
        return [];
    return [{ from: ctx.project, stage: 'after-code', copy: [], run: `${PIP_INSTALL}${noDeps ? ' --no-deps' : ''} .` }];
}
/** The build backend (build-system.requires) is never locked by any of these files: said in a note. */
function buildBackendNote(ctx, lock) {
    if (ctx.project !== 'pyproject.toml')
        return;
    const requires = table(ctx.pyproject, 'build-system')?.requires;
    if (Array.isArray(requires) && requires.length > 0)
        ctx.report.notes.push(`the project itself is built by its build backend (build-system.requires: ${requires.length} requirement${requires.length === 1 ? '' : 's'}), which ${lock} does not lock`);
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/error.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */
function getLineColFromPtr(string, ptr) {
    let lines = string.slice(0, ptr).split(/\r?\n/);
    return [lines.length, lines.pop().length + 1];
}
function makeCodeBlock(string, line, column) {
    let lines = string.split(/\r?\n/);
    let codeblock = '';
    let numberLen = (Math.log10(line + 1) | 0) + 1;
    for (let i = line - 1; i <= line + 1; i++) {
        let l = lines[i - 1];
        if (!l)
            continue;
        codeblock += i.toString().padEnd(numberLen, ' ');
        codeblock += ':  ';
        codeblock += l;
        codeblock += '\n';
        if (i === line) {
            codeblock += ' '.repeat(numberLen + column + 2);
            codeblock += '^\n';
        }
    }
    return codeblock;
}
class TomlError extends Error {
    line;
    column;
    codeblock;
    constructor(message, options) {
        const [line, column] = getLineColFromPtr(options.toml, options.ptr);
        const codeblock = makeCodeBlock(options.toml, line, column);
        super(`Invalid TOML document: ${message}\n\n${codeblock}`, options);
        this.line = line;
        this.column = column;
        this.codeblock = codeblock;
    }
    /** @internal */
    static x(message, ctx, ptr) {
        throw new TomlError(message, { toml: ctx.s, ptr: ptr ?? ctx.p });
    }
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/primitive.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */

/** @internal */
function parseString(ctx) {
    let startPtr = ctx.p;
    let c = ctx.s.charCodeAt(ctx.p++);
    let first = c;
    let isLiteral = c === 0x27; /* ' */
    let isMultiline = c === ctx.s.charCodeAt(ctx.p) && c === ctx.s.charCodeAt(ctx.p + 1);
    if (isMultiline) {
        // Trim initial newline
        if ((c = ctx.s.charCodeAt(ctx.p += 2)) === 0xa /* \n */)
            ctx.p++;
        else if (c === 0xd /* \r */ && ctx.s.charCodeAt(ctx.p + 1) === 0xa /* \n */)
            ctx.p += 2;
    }
    // For the record: it is not worth it to use a fast-path for literal strings using `indexOf`.
    // Doing a char-by-char iteration ends up dispatching less instructions, for the same wall-clock runtime.
    let parsed = '';
    let sliceStart = ctx.p;
    // states:
    //   0 - decoding
    //   1 - decoding escape
    //   2 - whitespace escape (no newline encountered yet, must fail on non-whitespace)
    //   3 - whitespace escape (newline encountered, allowed to transition back to normal decode)
    let state = 0;
    for (; ctx.p < ctx.s.length; ctx.p++) {
        c = ctx.s.charCodeAt(ctx.p);
        // Deal with newlines first, since that simplifies control character checking and handling across all states
        if (isMultiline && (c === 0xa /* \n */ || (c === 0xd /* \r */ && ctx.s.charCodeAt(ctx.p + 1) === 0xa /* \n */))) {
            state = state && 3;
        }
        // Control characters are banned in TOML, so we throw an error if we encounter them
        else if ((c < 0x20 && c !== 0x9 /* \t */) || c === 0x7f) {
            TomlError.x('control characters are not allowed in strings', ctx);
        }
        // The string might terminate while we're parsing through a newline escape.
        // It must have encountered a newline; otherwise, it'll simply fail in another branch.
        else if ((!state || state === 3) && c === first && (!isMultiline || (ctx.s.charCodeAt(ctx.p + 1) === first && ctx.s.charCodeAt(ctx.p + 2) === first))) {
            if (isMultiline) {
                // If the string ends with 4-5 quotes, then the first 1-2 are part of the string
                if (ctx.s.charCodeAt(ctx.p + 3) === first)
                    ctx.p++;
                if (ctx.s.charCodeAt(ctx.p + 3) === first)
                    ctx.p++;
            }
            // If we're in a newline escape still, then there's nothing to add.
            if (!state) {
                // Avoid a useless concat operation if the string can be used as-is.
                let s = ctx.s.slice(sliceStart, ctx.p);
                parsed = parsed ? parsed + s : s;
            }
            ctx.p += isMultiline ? 3 : 1;
            return parsed;
        }
        // Baseline state; keep moving forward unless an escape sequence starts
        else if (!state) {
            if (!isLiteral && c === 0x5c /* \ */) {
                parsed += ctx.s.slice(sliceStart, (sliceStart = ctx.p));
                state = 1;
            }
        }
        else if (state === 1) {
            if (c === 0x78 /* x */ || c === 0x75 /* u */ || c === 0x55 /* U */) { // Unicode escape
                let errPtr = ctx.p++ - 1;
                let value = 0;
                let len = c === 0x78 /* x */ ? 2 : c === 0x75 /* u */ ? 4 : 8;
                for (let j = 0; j < len; j++, ctx.p++) {
                    let hex = ctx.s.charCodeAt(ctx.p);
                    let digit = 
                    /* 0-9 */ hex >= 0x30 && hex <= 0x39 ? hex - 0x30 :
                        /* A-F */ hex >= 0x41 && hex <= 0x46 ? hex - 0x41 + 10 :
                            /* a-f */ hex >= 0x61 && hex <= 0x66 ? hex - 0x61 + 10 : -1;
                    if (digit < 0)
                        TomlError.x('invalid non-hex character in unicode escape', ctx);
                    value = (value << 4) | digit;
                }
                // Because JS does bitwise on signed 32bit integers, all 0xfzzzzzzz values are actually seen as negative
                if (value < 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) {
                    TomlError.x('invalid unicode escape', ctx, errPtr);
                }
                parsed += String.fromCodePoint(value);
                sliceStart = ctx.p--;
                state = 0;
            }
            // Newline escape sequence. We only need to care about spaces and tabs; newlines are dealt with earlier
            else if (isMultiline && (c === 0x20 || c === 0x9 /* \t */)) {
                state = 2;
            }
            // Basic escape sequence
            else {
                if (c === 0x62 /* b */)
                    parsed += '\b';
                else if (c === 0x74 /* t */)
                    parsed += '\t';
                else if (c === 0x6e /* n */)
                    parsed += '\n';
                else if (c === 0x66 /* f */)
                    parsed += '\f';
                else if (c === 0x72 /* r */)
                    parsed += '\r';
                else if (c === 0x65 /* e */)
                    parsed += '\x1b';
                else if (c === 0x22 /* " */)
                    parsed += '"';
                else if (c === 0x5c /* \ */)
                    parsed += '\\';
                else
                    TomlError.x('unrecognised escape sequence', ctx);
                sliceStart = ctx.p + 1;
                state = 0;
            }
        }
        // Newline escape continuation: keep moving forward until the first non-whitespace char
        else if (c !== 0x20 && c !== 0x9 /* \t */) {
            if (state === 2)
                TomlError.x('invalid escape: only line-ending whitespace may be escaped', ctx, sliceStart);
            // State cannot be zero, or we'd have branched earlier already.
            // If it's a backslash, immediately transition to the escape state so it can be processed.
            state = !isLiteral && c === 0x5c /* \ */ ? 1 : 0;
            sliceStart = ctx.p;
        }
    }
    TomlError.x('unfinished string', ctx, startPtr);
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/date.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */
let DATE_TIME_RE = /^(\d{4}-\d{2}-\d{2})?[Tt ]?(?:(\d{2}):\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|z|[-+]\d{2}:\d{2})?$/i;
class TomlDate extends Date {
    #hasDate = false;
    #hasTime = false;
    #offset = null;
    constructor(date, fasttype, unsafeDelim) {
        let hasDate = true;
        let hasTime = true;
        let offset = 'Z';
        let c;
        if (typeof date === 'string') {
            if (fasttype)
                prep: {
                    // Date-time
                    if (fasttype < 3) {
                        if (+date.slice(11, 13) > 23) {
                            date = '';
                            break prep;
                        }
                        // Local
                        if (fasttype === 2) {
                            offset = null;
                            date += 'Z';
                        }
                        // Offset; keep track of offset if not Z
                        else if ((c = date.charCodeAt(date.length - 1)) !== 0x5a /* Z */ && c !== 0x7a /* z */) {
                            offset = date.slice(date.length - 6);
                        }
                        if (unsafeDelim)
                            date = date.slice(0, 10) + 'T' + date.slice(11);
                    }
                    // Time
                    else if (fasttype === 4) {
                        date = +date.slice(0, 2) > 23 ? '' : `0000-01-01T${date}Z`;
                    }
                    hasDate = fasttype !== 4;
                    hasTime = fasttype !== 3;
                }
            else {
                let match = date.match(DATE_TIME_RE);
                if (match) {
                    if (!match[1]) {
                        hasDate = false;
                        date = `0000-01-01T${date}`;
                    }
                    hasTime = !!match[2];
                    // Make sure to use T instead of a space. Breaks in case of extreme values otherwise.
                    hasTime && date[10] === ' ' && (date = date.replace(' ', 'T'));
                    // Do not allow rollover hours.
                    if (match[2] && +match[2] > 23) {
                        date = '';
                    }
                    else {
                        offset = match[3] || null;
                        if (!offset && hasTime)
                            date += 'Z';
                    }
                }
                else {
                    date = '';
                }
            }
        }
        super(date);
        if (!isNaN(this.getTime())) {
            this.#hasDate = hasDate;
            this.#hasTime = hasTime;
            this.#offset = offset;
        }
    }
    isDateTime() {
        return this.#hasDate && this.#hasTime;
    }
    isLocal() {
        return !this.#hasDate || !this.#hasTime || !this.#offset;
    }
    isDate() {
        return this.#hasDate && !this.#hasTime;
    }
    isTime() {
        return this.#hasTime && !this.#hasDate;
    }
    isValid() {
        return this.#hasDate || this.#hasTime;
    }
    toISOString() {
        let iso = super.toISOString();
        // Local Date
        if (this.isDate())
            return iso.slice(0, 10);
        // Local Time
        if (this.isTime())
            return iso.slice(11, 23);
        // Local DateTime
        if (this.#offset === null)
            return iso.slice(0, -1);
        // Offset DateTime
        if (this.#offset === 'Z' || this.#offset === 'z')
            return iso;
        // This part is quite annoying: JS strips the original timezone from the ISO string representation
        // Instead of using a "modified" date and "Z", we restore the representation "as authored"
        let offset = (+(this.#offset.slice(1, 3)) * 60) + +(this.#offset.slice(4, 6));
        offset = this.#offset[0] === '-' ? offset : -offset;
        let offsetDate = new Date(this.getTime() - (offset * 60e3));
        return offsetDate.toISOString().slice(0, -1) + this.#offset;
    }
    static wrapAsOffsetDateTime(jsDate, offset = 'Z') {
        let date = new TomlDate(jsDate);
        date.#offset = offset;
        return date;
    }
    static wrapAsLocalDateTime(jsDate) {
        let date = new TomlDate(jsDate);
        date.#offset = null;
        return date;
    }
    static wrapAsLocalDate(jsDate) {
        let date = new TomlDate(jsDate);
        date.#hasTime = false;
        date.#offset = null;
        return date;
    }
    static wrapAsLocalTime(jsDate) {
        let date = new TomlDate(jsDate);
        date.#hasDate = false;
        date.#offset = null;
        return date;
    }
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/extract.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */




function isDigit(char, base = 10) {
    return base === 16
        ? (char > 0x2f && char < 0x3a) || (char > 0x40 && char < 0x47) || (char > 0x60 && char < 0x67)
        : (char > 0x2f && char < 0x30 + base);
}
function isEndOfValue(char, delim) {
    // Whitespace -- we're permissive on `\r` for performance; it'll be dealt with later anyway
    return char === 0x20 || char === 0x9 /* \t */ || char === 0xa /* \n */ || char === 0xd /* \r */ ||
        // Structure end or next value delimiter
        (delim && (char === delim || char === 0x2c /* , */)) ||
        // Comment
        char === 0x23; /* # */
}
/** @internal */
function extractValue(ctx, end) {
    let errPtr = ctx.p;
    let c = ctx.s.charCodeAt(ctx.p);
    // Structs
    if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
        ctx.d-- || TomlError.x('document contains excessively nested structures. aborting.', ctx);
        let value = c === 0x5b /* [ */
            ? parseArray(ctx)
            : parseInlineTable(ctx);
        ctx.d++;
        return value;
    }
    // Strings
    if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
        return parseString(ctx);
    }
    // Booleans
    // We can fast-path because the first character is enough to know the only possible value
    if (c === 0x74 /* t */) { // Only possible valid value is `true`
        if (ctx.s.charCodeAt(++ctx.p) !== 0x72 || ctx.s.charCodeAt(++ctx.p) !== 0x75 || ctx.s.charCodeAt(++ctx.p) !== 0x65)
            TomlError.x('invalid value', ctx, errPtr);
        return ctx.p++, true;
    }
    if (c === 0x66 /* f */) { // Only possible valid value is `false`
        if (ctx.s.charCodeAt(++ctx.p) !== 0x61 || ctx.s.charCodeAt(++ctx.p) !== 0x6c || ctx.s.charCodeAt(++ctx.p) !== 0x73 || ctx.s.charCodeAt(++ctx.p) !== 0x65)
            TomlError.x('invalid value', ctx, errPtr);
        return ctx.p++, false;
    }
    if (c === 0x2b /* + */ || c === 0x2d /* - */) {
        return parseNumber(ctx, ctx.p, ctx.s.charCodeAt(++ctx.p), 0x2c - c, end);
    }
    // Rough heuristic, but `parseDate` falls back to number parsing if it's a false positive.
    // e.g.: `a = 1\n-------------- = 1` would match this heuristic, but gracefully fallback to numbers.
    if (ctx.s.charCodeAt(ctx.p + 4) === 0x2d /* - */ && ctx.s.charCodeAt(ctx.p + 7) === 0x2d /* - */) {
        return parseDate(ctx, c, end);
    }
    // Same logic as above; `parseTime` falls back to number parsing if it's a false positive.
    if (ctx.s.charCodeAt(ctx.p + 2) === 0x3a /* : */) {
        return parseTime(ctx, c, end);
    }
    return parseNumber(ctx, ctx.p, c, 0, end);
}
// State:
// 0: init
// 1: integer
// 2: fractional dot
// 3: fractional
// 4: exponent letter
// 5: exponent
// 6: exponent sign
// 7: exponent with sign
// >9: underscore; see below
//     -> 12: was integer
//     -> 14: was fractional
//     -> 16: was exponent
// states 2-5, 14, 16 are ONLY permitted iif base === 10
function parseNumber(ctx, startPtr, startChr, sign, endChr) {
    let c = startChr;
    let state = 0;
    let hasUnderscores = false;
    // (+/-)inf
    if (c === 0x69 /* i */) {
        if (ctx.s.charCodeAt(++ctx.p) !== 0x6e || ctx.s.charCodeAt(++ctx.p) !== 0x66)
            TomlError.x('invalid value', ctx, startPtr);
        return ctx.p++, (sign || 1) / 0;
    }
    // (+/-)nan
    if (c === 0x6e /* n */) {
        if (ctx.s.charCodeAt(++ctx.p) !== 0x61 || ctx.s.charCodeAt(++ctx.p) !== 0x6e)
            TomlError.x('invalid value', ctx, startPtr);
        return ctx.p++, NaN;
    }
    // Leading zero
    // Only allowed cases: `0<EOV>`, `0.(...)`, `0e(...)`, `0x(...)`, `0b(...)`, `0o(...)`
    // FWIW, `0e(...)` is a stupid case, but it's not banned per-se so we have to parse it
    if (c === 0x30 /* 0 */) {
        if (++ctx.p >= ctx.s.length || isEndOfValue(c = ctx.s.charCodeAt(ctx.p), endChr))
            return ctx.bi === true ? 0n : 0; // note: conveniently deals with `-0`
        if (!sign) {
            if (c === 0x78 /* x */)
                return parseIntegerBaseN(ctx, startPtr, 16, endChr);
            else if (c === 0x62 /* b */)
                return parseIntegerBaseN(ctx, startPtr, 2, endChr);
            else if (c === 0x6f /* o */)
                return parseIntegerBaseN(ctx, startPtr, 8, endChr);
        }
        if (c === 0x2e /* . */)
            state = 2;
        else if (c === 0x65 /* e */ || c === 0x45 /* E */)
            state = 4;
        else
            TomlError.x('illegal leading zero', ctx, startPtr);
    }
    // If the 1st char is not a digit by now, then it's not a valid TOML value at all
    else if (!isDigit(c))
        TomlError.x('invalid value', ctx, startPtr);
    while (++ctx.p < ctx.s.length && (c = ctx.s.charCodeAt(ctx.p), !isEndOfValue(c, endChr))) {
        if (!state)
            state = 1; // Detects single-digit numbers we can use a fast parse path for
        // The way the states are numbered is not random: underscores are always permitted in odd-numbered states and
        // never permitted in even-numbered ones.
        if (c === 0x5f /* _ */) {
            if (!(state & 1))
                TomlError.x('illegal underscore', ctx);
            state += 11; // 11 is a marker that makes the state even and greater than 9; see the numbering + rationale above
            hasUnderscores = true;
        }
        // Transition to fractional part.
        else if (state === 1 && c === 0x2e /* . */)
            state = 2;
        // Transition to exponent part.
        else if ((state === 1 || state === 3) && (c === 0x65 /* e */ || c === 0x45 /* E */))
            state = 4;
        // + and - are permitted in state 4 only (handled before entering the function for state 0)
        else if (state === 4 && (c === 0x2b /* + */ || c === 0x2d /* - */)) {
            state = 6;
        }
        // All special cases have been handled; only digits are allowed here
        else if (!isDigit(c))
            TomlError.x(`illegal character in numeric literal`, ctx);
        // Clear state flags
        else if (state > 9)
            state -= 11;
        else if (!(state & 1))
            state++;
    }
    // Single-char number; we can fast-path these very easily.
    if (!state) {
        let val = (startChr - 0x30 /* 0 */) * (sign || 1);
        return ctx.bi === true ? BigInt(val) : val;
    }
    // Even-numbered states absolutely require a digit next; not even end of value is permitted
    if (!(state & 1))
        TomlError.x('unfinished numeric value', ctx, startPtr);
    let str = ctx.s.slice(startPtr, ctx.p);
    if (hasUnderscores)
        str = str.replaceAll('_', ''); // perf: replaceAll 1.25x faster than replace with a regex
    return state > 1
        ? parseFloat(str)
        : parseInteger(ctx, str, 10, startPtr);
}
function parseIntegerBaseN(ctx, startPtr, base, endChr) {
    let c, underscore = 1;
    while (++ctx.p < ctx.s.length && (c = ctx.s.charCodeAt(ctx.p), !isEndOfValue(c, endChr))) {
        if (c === 0x5f /* _ */) {
            if (underscore & 1)
                TomlError.x('illegal underscore', ctx);
            underscore = 3;
        }
        // We only need to check if the number is a valid digit, nothing else is permitted
        else if (!isDigit(c, base))
            TomlError.x(`illegal character in numeric literal`, ctx);
        // Clear underscore flag
        else if (underscore & 1)
            underscore--;
    }
    // Trailing underscore is not allowed
    if (underscore & 1)
        TomlError.x('unfinished numeric value', ctx);
    let str = ctx.s.slice(startPtr + 2, ctx.p);
    if (underscore)
        str = str.replaceAll('_', ''); // perf: replaceAll 1.25x faster than replace with a regex
    return parseInteger(ctx, str, base, startPtr);
}
function parseInteger(ctx, str, base, startPtr) {
    if (ctx.bi !== true)
        int: {
            let val = parseInt(str, base);
            if (!Number.isSafeInteger(val)) {
                if (ctx.bi)
                    break int;
                TomlError.x('integer value cannot be represented losslessly', ctx, startPtr);
            }
            return val;
        }
    return base === 10 ? BigInt(str) : BigInt((base === 2 ? '0b' : base === 8 ? '0o' : '0x') + str);
}
function parseDate(ctx, c, endChr) {
    let startPtr = ctx.p++, unsafeSeparator;
    if (!isDigit(c) ||
        !isDigit(ctx.s.charCodeAt(ctx.p++)) ||
        !isDigit(ctx.s.charCodeAt(ctx.p++)) ||
        !isDigit(ctx.s.charCodeAt(ctx.p++))) {
        return parseNumber(ctx, ctx.p = startPtr, c, 0, endChr);
    }
    ctx.p += 5;
    if (!isDigit(ctx.s.charCodeAt(ctx.p++)))
        TomlError.x('invalid date-time: date part is malformed', ctx, startPtr);
    if (ctx.p >= ctx.s.length || (((c = ctx.s.charCodeAt(ctx.p)) !== 0x20 || (unsafeSeparator = true, !isDigit(ctx.s.charCodeAt(ctx.p + 1)))) && c !== 0x54 /* T */ && c !== 0x74 /* t */)) {
        let t = ctx.s.slice(startPtr, ctx.p);
        return readDate(ctx, t, 3, false, startPtr);
    }
    if (ctx.s.charCodeAt(ctx.p += 3) !== 0x3a /* : */)
        TomlError.x('invalid date-time: time part is malformed', ctx, startPtr);
    if (ctx.s.charCodeAt(ctx.p += 3) === 0x3a /* : */)
        ctx.p += 3;
    if (ctx.s.charCodeAt(ctx.p) === 0x2e /* . */)
        while (isDigit(ctx.s.charCodeAt(++ctx.p)))
            ;
    if (c = ctx.s.charCodeAt(ctx.p)) {
        if (c === 0x5a /* Z */ || c === 0x7a /* z */) {
            let t = ctx.s.slice(startPtr, ++ctx.p);
            return readDate(ctx, t, 1, unsafeSeparator, startPtr, '[+00:00]');
        }
        if (c === 0x2b /* + */ || c === 0x2d /* - */) {
            // Temporal's ZonedDateTime is weird asf when it comes to dealing with traditional offsets...
            // It's 1.2x faster to allocate a new string to pass to ZDT than use Instant.toZonedDateTimeISO
            let t = ctx.s.slice(startPtr, ctx.p += 6);
            return readDate(ctx, t, 1, unsafeSeparator, startPtr, !ctx.ld && ('[' + ctx.s.slice(ctx.p - 6, ctx.p) + ']'));
        }
    }
    let t = ctx.s.slice(startPtr, ctx.p);
    return readDate(ctx, t, 2, unsafeSeparator, startPtr);
}
function parseTime(ctx, c, endChr) {
    let start = ctx.p;
    if (!isDigit(c) || !isDigit(ctx.s.charCodeAt(++ctx.p))) {
        return parseNumber(ctx, --ctx.p, c, 0, endChr);
    }
    if (ctx.s.charCodeAt(ctx.p += 4) === 0x3a /* : */)
        ctx.p += 3;
    if (ctx.s.charCodeAt(ctx.p) === 0x2e /* . */)
        while (isDigit(ctx.s.charCodeAt(++ctx.p)))
            ;
    let t = ctx.s.slice(start, ctx.p);
    return readDate(ctx, t, 4, false, start);
}
function readDate(ctx, str, type, unsafeDelim, errPtr, temporalSuffix) {
    if (ctx.ld) {
        let date = new TomlDate(str, type, unsafeDelim);
        if (!date.isValid())
            TomlError.x('invalid date', ctx, errPtr);
        return date;
    }
    try {
        if (temporalSuffix)
            str += temporalSuffix;
        switch (type) {
            case 1: return Temporal.ZonedDateTime.from(str);
            case 2: return Temporal.PlainDateTime.from(str);
            case 3: return Temporal.PlainDate.from(str);
            case 4: return Temporal.PlainTime.from(str);
        }
    }
    catch (e) {
        TomlError.x(e instanceof Error ? e.message : '' + e, ctx, errPtr);
    }
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/util.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */

/** @internal */
function skipComment(ctx) {
    for (; ctx.p < ctx.s.length; ctx.p++) {
        let c = ctx.s.charCodeAt(ctx.p);
        if (c === 0xa /* \n */)
            break;
        if (c === 0xd /* \r */ && ctx.s.charCodeAt(ctx.p + 1) === 0xa /* \n */) {
            ctx.p++;
            break;
        }
        if ((c < 0x20 && c !== 0x9 /* \t */) || c === 0x7f) {
            TomlError.x('control characters are not allowed in comments', ctx);
        }
    }
}
/** @internal */
function skipVoid(ctx, banNewLines, banComments) {
    let c;
    while (ctx.p < ctx.s.length) {
        while (ctx.p < ctx.s.length && ((c = ctx.s.charCodeAt(ctx.p)) === 0x20 ||
            c === 0x9 /* \t */ ||
            (!banNewLines &&
                (c === 0xa /* \n */ || (c === 0xd /* \r */ && ctx.s.charCodeAt(ctx.p + 1) === 0xa /* \n */)))))
            ctx.p++;
        if (banComments || c !== 0x23 /* # */)
            break;
        skipComment(ctx);
    }
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/struct.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */




/** @internal */
function parseKey(ctx, end = 0x3d /* = */) {
    // States:
    // 0: before first char
    // 1: parsing bare key
    // 2: after key component
    let startPtr;
    let state = 0;
    let parsed = [];
    let sliceStart;
    let c = ctx.s.charCodeAt(startPtr = ctx.p);
    do {
        // End of key
        if (c === end) {
            if (!state)
                TomlError.x('unexpected end of key', ctx);
            if (state === 1)
                parsed.push(ctx.s.slice(sliceStart, ctx.p));
            return ctx.p++, parsed;
        }
        // Dotted key separator
        else if (c === 0x2e /* . */) {
            if (!state)
                TomlError.x('illegal empty bare key', ctx);
            if (state === 1)
                parsed.push(ctx.s.slice(sliceStart, ctx.p));
            state = 0;
        }
        // Quoted key
        else if (!state && (c === 0x22 /* " */ || c === 0x27 /* ' */)) {
            if (c === ctx.s.charCodeAt(ctx.p + 1) && c === ctx.s.charCodeAt(ctx.p + 2))
                TomlError.x('illegal quoted key: multiline strings are not allowed', ctx);
            parsed.push(parseString(ctx));
            state = 2;
            ctx.p--;
        }
        // Whitespace; no-op in state 0 and 2, end of bare key in state 1
        else if (c === 0x20 || c === 0x9 /* \t */) {
            if (state === 1) {
                parsed.push(ctx.s.slice(sliceStart, ctx.p));
                state = 2;
            }
        }
        // If state is post-key, no character is allowed; otherwise ensure it's a bare-key component
        else if (state === 2 || (c < 0x30 && c !== 0x2d /* - */) || (c > 0x39 && c < 0x41) || (c > 0x5a && c < 0x61 && c !== 0x5f /* _ */) || c > 0x7a) {
            TomlError.x('illegal character in key', ctx);
        }
        // Illegal character
        else if (!state) {
            state = 1;
            sliceStart = ctx.p;
        }
    } while (c = ctx.s.charCodeAt(++ctx.p));
    TomlError.x('incomplete key-value: cannot find end of key', ctx, startPtr);
}
/** @internal */
function parseInlineTable(ctx) {
    let startPtr = ctx.p++;
    let res = Object.create(null);
    let seen = new Set();
    let c;
    while (ctx.p < ctx.s.length) {
        skipVoid(ctx);
        if ((c = ctx.s.charCodeAt(ctx.p)) === 0x7d /* } */) {
            ctx.p++;
            return res;
        }
        let k;
        let t = res;
        let hasOwn = false;
        let errPtr = ctx.p;
        let key = parseKey(ctx);
        for (let i = 0; i < key.length; i++) {
            if (i)
                t = hasOwn ? t[k] : (t[k] = Object.create(null));
            k = key[i];
            if ((hasOwn = Object.hasOwn(t, k)) && (typeof t[k] !== 'object' || seen.has(t[k]))) {
                TomlError.x('trying to redefine an already defined value', ctx, errPtr);
            }
            let unsafe = k === '__proto__';
            if (ctx.uk && (unsafe || k === 'constructor')) {
                t = ctx.uk !== 1 && TomlError.x('document contains an unsafe property', ctx, errPtr);
                break;
            }
            if (!hasOwn && unsafe) {
                Object.defineProperty(t, k, { enumerable: true, configurable: true, writable: true });
            }
        }
        if (hasOwn) {
            TomlError.x('trying to redefine an already defined value', ctx, errPtr);
        }
        skipVoid(ctx, true, true);
        let value = extractValue(ctx, 0x7d /* } */);
        if (t && typeof (t[k] = value) === 'object')
            seen.add(value);
        skipVoid(ctx);
        if ((c = ctx.s.charCodeAt(ctx.p++)) === 0x7d /* } */) {
            return res;
        }
        if (c !== 0x2c /* , */)
            TomlError.x('expected comma or end of structure', ctx, ctx.p - 1);
    }
    TomlError.x('unfinished table', ctx, startPtr);
}
/** @internal */
function parseArray(ctx) {
    let startPtr = ctx.p++;
    let res = [];
    let c;
    while (ctx.p < ctx.s.length) {
        skipVoid(ctx);
        if ((c = ctx.s.charCodeAt(ctx.p)) === 0x5d /* ] */) {
            ctx.p++;
            return res;
        }
        res.push(extractValue(ctx, 0x5d /* ] */));
        skipVoid(ctx);
        if ((c = ctx.s.charCodeAt(ctx.p++)) === 0x5d /* ] */) {
            return res;
        }
        if (c !== 0x2c /* , */)
            TomlError.x('expected comma or end of structure', ctx, ctx.p - 1);
    }
    TomlError.x('unfinished array', ctx, startPtr);
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/parse.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */




function peekTable(ctx, key, table, meta, type) {
    let t = table;
    let m = meta;
    let k;
    let hasOwn = false;
    let state;
    for (let i = 0; i < key.length; i++) {
        if (i) {
            t = hasOwn ? t[k] : (t[k] = Object.create(null));
            m = (state = m[k]).c;
            if (type === 0 /* Type.DOTTED */ && (state.t === 1 /* Type.EXPLICIT */ || state.t === 2 /* Type.ARRAY */)) {
                return null;
            }
            if (state.t === 2 /* Type.ARRAY */) {
                let l = t.length - 1;
                t = t[l];
                m = m[l].c;
            }
        }
        k = key[i];
        if ((hasOwn = Object.hasOwn(t, k)) && m[k]?.t === 0 /* Type.DOTTED */ && m[k]?.d) {
            return null;
        }
        if (!hasOwn) {
            let unsafe = k === '__proto__';
            if (ctx.uk && (unsafe || k === 'constructor'))
                return false;
            if (unsafe) {
                Object.defineProperty(t, k, { enumerable: true, configurable: true, writable: true });
                Object.defineProperty(m, k, { enumerable: true, configurable: true, writable: true });
            }
            m[k] = {
                t: i < key.length - 1 && type === 2 /* Type.ARRAY */
                    ? 3 /* Type.ARRAY_DOTTED */ : type,
                d: false,
                i: 0,
                c: Object.create(null),
            };
        }
    }
    state = m[k];
    if (state.t !== type && !(type === 1 /* Type.EXPLICIT */ && state.t === 3 /* Type.ARRAY_DOTTED */)) {
        // Bad key type!
        return null;
    }
    if (type === 2 /* Type.ARRAY */) {
        if (!state.d) {
            state.d = true;
            t[k] = [];
        }
        t[k].push(t = Object.create(null));
        state.c[state.i++] = (state = { t: 1 /* Type.EXPLICIT */, d: false, i: 0, c: Object.create(null) });
    }
    if (state.d) {
        // Redefining a table!
        return null;
    }
    state.d = true;
    if (type === 1 /* Type.EXPLICIT */) {
        t = hasOwn ? t[k] : (t[k] = Object.create(null));
    }
    else if (type === 0 /* Type.DOTTED */ && hasOwn) {
        return null;
    }
    return [k, t, state.c];
}
function validateTablePeek(ctx, peek, ptr) {
    if (peek === null || ctx.uk === 2)
        TomlError.x(peek === null
            ? 'trying to redefine an already defined table or value'
            : 'document contains an unsafe property', ctx, ptr);
}
function parse_parse(toml, options = {}) {
    let ctx = {
        s: toml,
        p: 0,
        d: options.maxDepth ?? 1000,
        bi: options.integersAsBigInt ?? false,
        ld: options.useLegacyDate ?? true,
        uk: options.unsafeKeyBehaviour === 'throw' ? 2 : options.unsafeKeyBehaviour === 'drop' ? 1 : 0,
    };
    let res = Object.create(null);
    let meta = Object.create(null);
    let tmp;
    let skipping = false;
    let tbl = res;
    let m = meta;
    // BOM is allowed, skip.
    // JS is UTF-16, so we have to check for the UTF-16 BOM instead of the UTF-8 BOM sequence!
    if (toml.charCodeAt(0) === 0xfeff)
        ctx.p++;
    skipVoid(ctx);
    while (ctx.p < toml.length) {
        if (toml.charCodeAt(ctx.p) === 0x5b /* [ */) {
            let isTableArray = toml.charCodeAt(++ctx.p) === 0x5b; /* [ */
            tmp = ctx.p += +isTableArray;
            skipping = false;
            let k = parseKey(ctx, 0x5d /* ] */);
            if (isTableArray) {
                if (toml.charCodeAt(ctx.p) !== 0x5d /* ] */) {
                    TomlError.x('expected end of table array declaration', ctx);
                }
                ctx.p++;
            }
            let p = peekTable(ctx, k, res, meta, isTableArray ? 2 /* Type.ARRAY */ : 1 /* Type.EXPLICIT */);
            if (!p) {
                validateTablePeek(ctx, p, tmp);
                skipping = true;
            }
            else {
                m = p[2];
                tbl = p[1];
            }
        }
        else {
            tmp = ctx.p;
            let k = parseKey(ctx);
            let p = peekTable(ctx, k, tbl, m, 0 /* Type.DOTTED */);
            if (!p && !skipping)
                validateTablePeek(ctx, p, tmp);
            skipVoid(ctx, true, true);
            let v = extractValue(ctx, void 0);
            if (p && !skipping)
                p[1][p[0]] = v;
        }
        skipVoid(ctx, true);
        if (ctx.p < toml.length && (tmp = toml.charCodeAt(ctx.p)) !== 0xa /* \n */ && (tmp !== 0xd /* \r */ || toml.charCodeAt(ctx.p + 1) !== 0xa /* \n */)) {
            TomlError.x('each key-value declaration must be followed by an end-of-line', ctx);
        }
        skipVoid(ctx);
    }
    return res;
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/stringify.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */
let BARE_KEY = /^[a-z0-9-_]+$/i;
let HAS_WELLFORMED = !!(''.isWellFormed);
function extendedTypeOf(obj) {
    let type = typeof obj;
    if (type === 'object') {
        if (Array.isArray(obj))
            return 'array';
        if (typeof obj.getUTCDate === 'function' && obj instanceof Date)
            return 'date';
        if (globalThis.Temporal) {
            if (obj.until) {
                if (obj instanceof Temporal.ZonedDateTime)
                    return 'temporal/tz+uc';
                if (obj instanceof Temporal.PlainDateTime || obj instanceof Temporal.PlainDate)
                    return 'temporal/uc';
                if (obj instanceof Temporal.PlainTime || obj instanceof Temporal.Instant)
                    return 'temporal';
                if (obj instanceof Temporal.PlainYearMonth)
                    return 'temporal/x';
            }
            else if ((obj.toPlainDate && obj instanceof Temporal.PlainMonthDay) ||
                (obj.negated && obj instanceof Temporal.Duration)) {
                return 'temporal/x';
            }
        }
    }
    return type;
}
function isArrayOfTables(obj) {
    for (let i = 0; i < obj.length; i++) {
        if (extendedTypeOf(obj[i]) !== 'object')
            return false;
    }
    return obj.length != 0;
}
function formatWellFormedStringUnchecked(s) {
    return JSON.stringify(s).replaceAll('\x7f', '\\u007f');
}
function formatString(s) {
    return formatWellFormedStringUnchecked(HAS_WELLFORMED ? s.toWellFormed() : s);
}
function formatKey(s) {
    if (BARE_KEY.test(s))
        return s;
    if (HAS_WELLFORMED && !s.isWellFormed())
        throw new RangeError('key contains illegal lone surrogates');
    return formatWellFormedStringUnchecked(s);
}
function stringifyValue(val, type, depth, numberAsFloat, strictTemporal) {
    if (depth === 0) {
        throw new Error('Could not stringify the object: maximum object depth exceeded');
    }
    switch (type) {
        // @ts-expect-error -- intentional fallthrough case
        case 'number':
            if (isNaN(val))
                return 'nan';
            if (val === Infinity)
                return 'inf';
            if (val === -Infinity)
                return '-inf';
            if (Number.isInteger(val) && (numberAsFloat || !Number.isSafeInteger(val)))
                return val.toFixed(1);
        case 'bigint':
        case 'boolean':
        case 'temporal':
            return val.toString();
        case 'string':
            return formatString(val);
        case 'date':
            if (isNaN(val.getTime()))
                throw new TypeError('cannot serialize invalid date');
            return val.toISOString();
        case 'object':
            return stringifyInlineTable(val, depth, numberAsFloat, strictTemporal);
        case 'array':
            return stringifyArray(val, depth, numberAsFloat, strictTemporal);
        // @ts-expect-error -- intentional fallthrough case
        case 'temporal/tz+uc':
            if (strictTemporal) {
                let tz = val.timeZoneId;
                let tzc = tz.charCodeAt(0);
                if (
                // Classic offset
                tzc !== 0x2b /* + */ && tzc !== 0x2d /* - */ &&
                    (
                    // Fast pre-check pass; see below for the actually accepted values
                    (tzc !== 0x55 /* U */ && tzc !== 0x47 /* G */ && tzc !== 0x5a /* Z */ && tzc !== 0x45 /* E */) ||
                        (
                        // UTC and its aliases; Temporal implementations don't all canonicalise unfortunately
                        tz !== 'UTC' && tz !== 'UCT' && tz !== 'Universal' && tz !== 'Zulu' &&
                            // GMT is a TZ but it's for all intents and purposes equivalent to UTC. Safe to downgrade.
                            !tz.startsWith('GMT') && tz !== 'Greenwich' &&
                            // Etc/* are all safe to downgrade to offset (either UTC, GMT, or offset)
                            !tz.startsWith('Etc/')))) {
                    throw new TypeError('Temporal objects with an IANA timezone are not allowed in Temporal strict mode');
                }
            }
        case 'temporal/uc':
            if (strictTemporal && val.calendarId !== 'iso8601')
                throw new TypeError('Temporal objects with a non-default calendar are not allowed in Temporal strict mode');
            return val.toString({
                calendarName: 'never',
                timeZoneName: 'never',
            });
        case 'temporal/x':
            throw new TypeError('Unsupported ' + val[Symbol.toStringTag]);
    }
}
function stringifyInlineTable(obj, depth, numberAsFloat, strictTemporal) {
    let keys = Object.keys(obj);
    if (keys.length === 0)
        return '{}';
    let res = '{ ';
    for (let i = 0; i < keys.length; i++) {
        let k = keys[i];
        if (i)
            res += ', ';
        res += formatKey(k) + ' = ' + stringifyValue(obj[k], extendedTypeOf(obj[k]), depth - 1, numberAsFloat, strictTemporal);
    }
    return res + ' }';
}
function stringifyArray(array, depth, numberAsFloat, strictTemporal) {
    if (array.length === 0)
        return '[]';
    let res = '[ ';
    for (let i = 0; i < array.length; i++) {
        if (i)
            res += ', ';
        if (array[i] === null || array[i] === void 0) {
            throw new TypeError('arrays cannot contain null or undefined values');
        }
        res += stringifyValue(array[i], extendedTypeOf(array[i]), depth - 1, numberAsFloat, strictTemporal);
    }
    return res + ' ]';
}
function stringifyArrayTable(array, key, depth, numberAsFloat, strictTemporal) {
    if (depth === 0) {
        throw new Error('Could not stringify the object: maximum object depth exceeded');
    }
    let res = '';
    for (let i = 0; i < array.length; i++) {
        res += `${res && '\n'}[[${key}]]\n`;
        res += stringifyTable(0, array[i], key, depth, numberAsFloat, strictTemporal);
    }
    return res;
}
function stringifyTable(tableKey, obj, prefix, depth, numberAsFloat, strictTemporal) {
    if (depth === 0) {
        throw new Error('Could not stringify the object: maximum object depth exceeded');
    }
    let preamble = '';
    let tables = '';
    let keys = Object.keys(obj);
    for (let i = 0; i < keys.length; i++) {
        let k = keys[i];
        if (obj[k] !== null && obj[k] !== void 0) {
            let type = extendedTypeOf(obj[k]);
            if (type === 'symbol' || type === 'function') {
                throw new TypeError(`cannot serialize values of type '${type}'`);
            }
            let key = formatKey(k);
            if (type === 'array' && isArrayOfTables(obj[k])) {
                tables += (tables && '\n') + stringifyArrayTable(obj[k], prefix ? `${prefix}.${key}` : key, depth - 1, numberAsFloat, strictTemporal);
            }
            else if (type === 'object') {
                let tblKey = prefix ? `${prefix}.${key}` : key;
                tables += (tables && '\n') + stringifyTable(tblKey, obj[k], tblKey, depth - 1, numberAsFloat, strictTemporal);
            }
            else {
                preamble += key;
                preamble += ' = ';
                preamble += stringifyValue(obj[k], type, depth, numberAsFloat, strictTemporal);
                preamble += '\n';
            }
        }
    }
    if (tableKey && (preamble || !tables)) // Create table only if necessary
        preamble = preamble ? `[${tableKey}]\n${preamble}` : `[${tableKey}]`;
    return preamble && tables
        ? `${preamble}\n${tables}`
        : preamble || tables;
}
function stringify_stringify(obj, { maxDepth = 1000, numbersAsFloat = false, strictTemporal = false } = {}) {
    if (extendedTypeOf(obj) !== 'object') {
        throw new TypeError('stringify can only be called with an object');
    }
    let str = stringifyTable(0, obj, '', maxDepth, numbersAsFloat, strictTemporal);
    if (str[str.length - 1] !== '\n')
        return str + '\n';
    return str;
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/index.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */





/** @deprecated use `import * as ... from 'smol-toml'` instead */
/* harmony default export */ const dist = ({ parse: parse_parse, stringify: stringify_stringify, TomlDate: TomlDate, TomlError: TomlError });

;// CONCATENATED MODULE: ./src/core/detect/toml.ts
/**
 * Reads pyproject.toml with smol-toml (a complete TOML 1.0 parser) and keeps
 * only what detection needs: which tables exist (`[project]`,
 * `[build-system]`, `[tool.poetry.dependencies]`, dotted keys and inline
 * tables alike) and the string values in them. A file that does not parse
 * gives undefined, and detection says so instead of guessing.
 */

function readTomlSummary(text) {
    let doc;
    try {
        doc = parse_parse(text);
    }
    catch {
        return undefined;
    }
    const summary = { tables: new Set(), strings: new Map() };
    const visit = (table, prefix) => {
        for (const [key, value] of Object.entries(table)) {
            const name = prefix ? `${prefix}.${key}` : key;
            if (typeof value === 'string')
                summary.strings.set(name, value);
            else if (isTable(value)) {
                summary.tables.add(name);
                visit(value, name);
            }
        }
    };
    visit(doc, '');
    return summary;
}
/** A table, not an array or a date (smol-toml returns TomlDate objects for dates). */
function isTable(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
/** The whole document, or undefined when it does not parse. */
function parseToml(text) {
    try {
        return parse_parse(text);
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/core/detect/python/pipenv.ts
/**
 * Pipfile.lock: `pipenv install --deploy --system`, with the base image's
 * `pipenv` when it has one (the build log prints its version), else with
 * pipenv PIPENV_VERSION installed into a throwaway virtual environment and
 * removed in the same step. `--deploy` refuses a lock that no longer
 * matches the Pipfile; the locked versions are installed with their hashes
 * checked, into the image's Python (`--system`: the first python3 on PATH,
 * wherever pipenv itself lives). Only Pipfile and Pipfile.lock are copied
 * first. The project itself, if there is one, is installed after the code
 * with `--no-deps`.
 *
 * Any version of the image's pipenv, as for Poetry (see poetry.ts): the lock
 * names every package, version and hash, `--deploy` checks it against the
 * Pipfile, and the tool only carries it out; its version is then the base
 * image's, frozen when the base image is pinned by digest.
 */


const PIPENV_VERSION = '2024.4.1';
/** [dev-packages] are not installed (pipenv's default for install); when the Pipfile lists some, a note says so. */
async function devPackagesNote(ctx) {
    const status = await ctx.files.read('Pipfile');
    const dev = status.state === 'ok' ? table(parseToml(status.text), 'dev-packages') : undefined;
    if (dev && Object.keys(dev).length > 0)
        ctx.report.notes.push(`${ctx.files.path('Pipfile')}'s [dev-packages] (${Object.keys(dev).length}) are not installed: a job runs the [packages] (repo2docker would add --dev)`);
}
/**
 * A Pipfile without its lock: `pipenv install --skip-lock --system` installs
 * [packages] as the Pipfile declares them, resolved at build time (floating,
 * with a warning). Before the code from the Pipfile alone, unless it names a
 * local path (`path = "."`), which needs the code.
 */
async function planPipfileUnlocked(ctx) {
    const at = ctx.files.path('Pipfile');
    const status = await ctx.files.read('Pipfile');
    const local = status.state === 'ok' && /^\s*[A-Za-z0-9._-]+\s*=\s*\{[^}\n]*\bpath\s*=/m.test(status.text);
    const run = [
        imageToolOrPinned('pipenv', 'Pipfile', `pipenv ${PIPENV_VERSION}`, `pipenv==${PIPENV_VERSION}`),
        `PIPENV_PIPFILE=/job/code/${at} WORKON_HOME=/tmp/pipenv PIPENV_CACHE_DIR=/tmp/pipenv PIP_NO_CACHE_DIR=1 "$pipenv" install --skip-lock --system`,
        'rm -rf /tmp/pipenv-venv /tmp/pipenv'
    ].join(' && ');
    ctx.report.warnings.push(`${at} without a Pipfile.lock: installed with pipenv install --skip-lock, so versions are chosen when the image is built (run pipenv lock and commit Pipfile.lock)`);
    await devPackagesNote(ctx);
    return {
        steps: [
            local ? { from: at, stage: 'after-code', copy: [], run } : { from: at, stage: 'before-code', copy: [at], run },
            ...projectStep(ctx, false)
        ],
        installs: [
            {
                ecosystem: 'python',
                file: at,
                sha256: await ctx.files.sha256('Pipfile'),
                installer: `the base image's pipenv, else pipenv ${PIPENV_VERSION}: pipenv install --skip-lock --system`,
                pinning: 'none'
            }
        ],
        floats: [
            {
                kind: 'unlisted-dependencies',
                ecosystem: 'python',
                name: at,
                from: at,
                why: 'no Pipfile.lock: pipenv resolves [packages] at build time'
            }
        ],
        env: [],
        reasons: [`${at} without a lock: pipenv install --skip-lock${local ? ' (after the code: it names a local path)' : ''}`]
    };
}
async function planPipenv(ctx) {
    await devPackagesNote(ctx);
    const run = [
        imageToolOrPinned('pipenv', 'Pipfile.lock', `pipenv ${PIPENV_VERSION}`, `pipenv==${PIPENV_VERSION}`),
        // pipenv makes its virtualenv home and cache under HOME even with --system: /tmp, as HOME is the job's.
        `PIPENV_PIPFILE=/job/code/${ctx.files.path('Pipfile')} WORKON_HOME=/tmp/pipenv PIPENV_CACHE_DIR=/tmp/pipenv PIP_NO_CACHE_DIR=1 "$pipenv" install --deploy --system`,
        'rm -rf /tmp/pipenv-venv /tmp/pipenv'
    ].join(' && ');
    ctx.report.notes.push(`Pipfile.lock is installed with the base image's pipenv when it has one (the build log prints its version), else with pipenv ${PIPENV_VERSION} installed for the build and removed: ` +
        "the lock decides every package, version and hash; the tool's version is the base image's, frozen when the base image is pinned by digest");
    return {
        steps: [
            {
                from: ctx.files.path('Pipfile.lock'),
                stage: 'before-code',
                copy: [ctx.files.path('Pipfile'), ctx.files.path('Pipfile.lock')],
                run
            },
            ...projectStep(ctx, true)
        ],
        installs: [
            {
                ecosystem: 'python',
                file: ctx.files.path('Pipfile.lock'),
                sha256: await ctx.files.sha256('Pipfile.lock'),
                installer: `the base image's pipenv, else pipenv ${PIPENV_VERSION}: pipenv install --deploy --system`,
                pinning: 'locked'
            }
        ],
        floats: [],
        env: [],
        reasons: [`Pipfile.lock: pipenv install --deploy (the base image's pipenv, else ${PIPENV_VERSION})`]
    };
}

;// CONCATENATED MODULE: ./src/core/detect/python/poetry.ts
/**
 * poetry.lock, installed into a virtual environment at /opt/venv (which PATH
 * puts first, as for uv) by whichever Poetry the build finds:
 *
 * - The base image's `poetry`, when it has one, whatever its version; the
 *   build log prints that version. Otherwise Poetry at the version that wrote
 *   the lock (its header says "@generated by Poetry X.Y.Z"; else
 *   POETRY_VERSION), with the export plugin for Poetry 2, installed into a
 *   throwaway virtual environment and removed in the same step.
 * - When that Poetry has the `export` command (Poetry before 1.2, 1.2–1.8 as
 *   published, 2.x with poetry-plugin-export), it exports the lock to a
 *   requirements file with hashes and pip installs it in hash-checking mode
 *   (`--require-hashes`, `--no-deps`): exactly the locked files, nothing
 *   resolved. Without it (Debian 12's python3-poetry is packaged without the
 *   plugin; Poetry 2 installed without it), `poetry install --only main
 *   --no-root` installs the lock itself: Poetry refuses a file whose sha256
 *   is not in the lock.
 *
 * Why any version of the image's Poetry, and not only the one that wrote the
 * lock: what is installed — names, versions, file hashes — is written in the
 * lock, and either path installs exactly that or fails; the tool only reads
 * it. A Poetry too old for the lock's format refuses it, and the build fails
 * saying so. Insisting on the writer's version would ignore the image's
 * Poetry nearly always (locks come from whatever Poetry the author had),
 * and reach for the package index even where the image was chosen for
 * carrying its own tools. The tool's version is then the base image's: as
 * frozen as the base image is (pinned by digest, it is).
 *
 * Why a virtual environment: the image's Poetry may live in the image's own
 * Python (Debian's does) with its dependencies, which would otherwise be
 * importable by the job without being in the lock; and `poetry install`
 * needs an environment named for it (VIRTUAL_ENV) — left to itself it picks
 * one depending on how Poetry was installed (with pipx, its own).
 *
 * The project itself, when it is a package, is installed after the code
 * with `--no-deps` (into the same environment: python3 is /opt/venv's).
 */


const POETRY_VERSION = '1.8.5';
const POETRY_EXPORT_PLUGIN_VERSION = '1.9.0';
const POETRY_ENV = ['VIRTUAL_ENV=/opt/venv', 'PATH=/opt/venv/bin:${PATH}'];
async function planPoetry(ctx) {
    const head = (await ctx.files.head('poetry.lock', 512)) ?? '';
    const written = /@generated by Poetry (\d{1,2}\.\d{1,3}\.\d{1,3})\b/.exec(head)?.[1];
    let version = POETRY_VERSION;
    if (written)
        version = written;
    else
        ctx.report.notes.push(`poetry.lock does not say which Poetry wrote it; without a poetry in the base image, Poetry ${POETRY_VERSION} reads it`);
    ctx.report.notes.push(`poetry.lock is installed with the base image's poetry when it has one (the build log prints its version), else with Poetry ${version} installed for the build and removed: ` +
        "the lock decides every package, version and file hash; the tool's version is the base image's, frozen when the base image is pinned by digest");
    const major = Number(version.split('.')[0]);
    const tools = major >= 2 ? `poetry==${version} poetry-plugin-export==${POETRY_EXPORT_PLUGIN_VERSION}` : `poetry==${version}`;
    const deps = table(ctx.pyproject, 'tool', 'poetry', 'dependencies') ?? {};
    const local = Object.entries(deps).find(([, v]) => v && typeof v === 'object' && 'path' in v);
    const afterCodeBecause = local ? `the dependency ${describeValue(local[0], 60)} is a local path` : undefined;
    const packageMode = table(ctx.pyproject, 'tool', 'poetry')?.['package-mode'];
    // Poetry's cache goes to /tmp and is removed: HOME is the job's, and must not get root-owned folders.
    const poetry = 'POETRY_CACHE_DIR=/tmp/poetry-cache "$poetry"';
    const run = [
        'python3 -m venv /opt/venv',
        // Our own Poetry lives under /tmp, never where an image keeps its own (POETRY_HOME is often /opt/poetry).
        imageToolOrPinned('poetry', 'poetry.lock', `Poetry ${version}`, tools),
        `if ${poetry} export --help >/dev/null 2>&1; then ${poetry} export --format requirements.txt --output /tmp/poetry-requirements.txt && /opt/venv/bin/python -m pip install --no-cache-dir --require-hashes --no-deps -r /tmp/poetry-requirements.txt; ` +
            `else echo "poetry.lock: this poetry has no export command; poetry install checks the lock's hashes" && ${poetry} install --only main --no-root --no-interaction; fi`,
        'rm -rf /tmp/poetry-venv /tmp/poetry-cache /tmp/poetry-requirements.txt'
    ].join(' && ');
    if (packageMode !== false)
        buildBackendNote(ctx, 'poetry.lock');
    return {
        steps: [
            afterCodeBecause
                ? { from: 'poetry.lock', stage: 'after-code', copy: [], run }
                : { from: 'poetry.lock', stage: 'before-code', copy: ['pyproject.toml', 'poetry.lock'], run },
            // python3 is /opt/venv's here (PATH), so the project goes where its dependencies are.
            ...(packageMode === false ? [] : projectStep(ctx, true))
        ],
        installs: [
            {
                ecosystem: 'python',
                file: 'poetry.lock',
                sha256: await ctx.files.sha256('poetry.lock'),
                installer: `the base image's poetry, else Poetry ${version}: poetry export with hashes and pip install --require-hashes, or poetry install where that poetry has no export command`,
                pinning: 'locked'
            }
        ],
        floats: [],
        env: POETRY_ENV,
        reasons: [
            afterCodeBecause
                ? `poetry.lock: poetry (the base image's, else ${version}), hashes checked (after the code: ${afterCodeBecause})`
                : `poetry.lock: poetry (the base image's, else ${version}), hashes checked`
        ]
    };
}

;// CONCATENATED MODULE: ./src/core/render/text.ts
/**
 * The one way text gets into a generated file. A line-oriented file (the
 * Dockerfile) gives a line break a meaning: a value carrying `\n` adds an
 * instruction (a `FROM evilbase` stage, a `RUN`) that nobody asked for, and
 * a value ending in a backslash joins the next line into its own. Parsers
 * validate what they read, but a parser that lets one through (issue 19:
 * `\s` in a PEP 508 pattern matched newlines) must not be enough to change
 * the build: the renderer refuses it too, as the last line of defence.
 *
 * Enforced by type: the renderer builds each line with `line\`…\``, whose
 * literal parts are ours and whose every substitution must be `Text`, and
 * the only ways to make a `Text` are `text()` (which checks, and throws a
 * RenderError naming the file and the field) and `sanitized()` (which
 * replaces, for comments). A plain string from the repository cannot be
 * interpolated by mistake: it does not type-check.
 */


// C0 and C1 controls (CR, LF, tab, escape, …), DEL, and the Unicode line and paragraph separators and NEL.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
/** Whether `value` holds a character a generated line-oriented file refuses (parsers use it to drop such values early). */
function hasControl(value) {
    return CONTROL.test(value);
}
/** Text from the repository (or derived from it) refused from a generated file. */
class RenderError extends UnsafeContentError {
    file;
    field;
    constructor(
    /** The generated file: "Dockerfile", "run.sh". */
    file, 
    /** What the value is, and where it came from. */
    field, message) {
        super(message);
        this.file = file;
        this.field = field;
        this.name = 'RenderError';
    }
}
/** `value`, checked for the line-oriented generated `file`; a RenderError naming `file` and `field` otherwise. */
function text_text(file, field, value) {
    const bad = CONTROL.exec(value);
    if (bad)
        throw new RenderError(file, field, `Refused: ${field} holds a control character (U+${bad[0].codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}) that would add or change lines of the generated ${file}: ${describeValue(value, 120)}. Remove it from the repository's file.`);
    // An empty (or blank) value on a continuation line leaves an empty line after a backslash: Docker's parser then
    // joins the next instruction into this one, as a trailing backslash does.
    if (value.trim() === '')
        throw new RenderError(file, field, `Refused: ${field} is empty, which would join the next line of the generated ${file} into the one before it. Remove the empty entry from the repository's file.`);
    // Inside an instruction continued over several lines, a line starting with # is a comment Docker skips: an ENV
    // entry "#…" at the start of a continuation line would vanish and the backslash before it join the next line in.
    if (value.trimStart().startsWith('#'))
        throw new RenderError(file, field, `Refused: ${field} starts with #, which the generated ${file} would read as a comment line: ${describeValue(value, 120)}. Remove it from the repository's file.`);
    // A trailing backslash (spaces after it allowed) continues the line: the next instruction would become part of this one.
    if (value.trimEnd().endsWith('\\'))
        throw new RenderError(file, field, `Refused: ${field} ends with a backslash, which would join the next line of the generated ${file} into it: ${describeValue(value, 120)}. Remove it from the repository's file.`);
    return value;
}
/** Our own constant text (a file name we chose, a fixed path): checked like any other, so a typo cannot slip through either. */
function own(value) {
    return text_text('generated file', 'a constant of job-packager', value);
}
/** For comment lines: every character that is not printable ASCII becomes `?`, so nothing can start a line. */
function sanitized(value) {
    return value.replace(/[^\x20-\x7e]/g, '?').replace(/\\+$/, '');
}
/**
 * One POSIX sh word, single-quoted: inside the quotes nothing is special but
 * the quote itself, so a line break there is part of the word, not a new
 * line of the script. For run.sh's command, which the user submitted to be
 * run exactly as written (multi-line commands included).
 */
function shellWord(value) {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}
/** Several checked values joined with `sep` (ours). */
function joined(values, sep) {
    return values.join(sep);
}
/** One line (or one instruction with our own continuation lines): literal parts are ours, substitutions checked. */
function line(strings, ...values) {
    let out = strings[0];
    values.forEach((v, i) => (out += v + strings[i + 1]));
    return out;
}

;// CONCATENATED MODULE: ./src/core/detect/python/pyproject.ts
/**
 * pyproject.toml without a lock: its declared dependencies
 * ([project].dependencies) are installed first, before the code is copied, so
 * a change to the code alone reuses that layer; the project itself is
 * installed after the code. pip cannot install "the dependencies of this
 * pyproject.toml" without building the project, so each declared requirement
 * is written into the RUN line itself — single-quoted, and only when it
 * matches a strict PEP 508 pattern (a name, extras, version clauses, an
 * environment marker) with no quote, backslash, `$` or `#` that a shell or
 * the Dockerfile could read as anything else. One that does not match (a
 * direct URL, say) is left to the project install, with a note. Every
 * requirement without an exact pin floats, and so do the dependencies
 * they pull in: versions are chosen at build time, and detection warns.
 * The same applies to setup.py (whose install_requires is never read: the
 * file is never run) and to Poetry's [tool.poetry.dependencies] without a
 * poetry.lock.
 */



/** A PEP 508 requirement we are willing to put, single-quoted, on a RUN line. */
// PEP 508's whitespace is spaces and tabs, never a line break; only spaces here (a tab is a control character the
// Dockerfile renderer refuses). `\s` here once matched "\n" and let a dependency add a FROM stage (issue 19).
const SAFE_REQUIREMENT = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?: *\[[A-Za-z0-9._, -]*\])?(?: *(?:===|==|!=|~=|<=|>=|<|>) *[A-Za-z0-9.*+!_-]+(?: *, *(?:===|==|!=|~=|<=|>=|<|>) *[A-Za-z0-9.*+!_-]+)*)?(?: *; *[A-Za-z0-9._ <>=!~"()-]+)?$/;
const EXACT = /^[A-Za-z0-9._-]+(?:\s*\[[^\]]*\])?\s*===?\s*[A-Za-z0-9.+!_-]+\s*(?:;.*)?$/;
const MAX_DECLARED = 200;
function requirementName(req) {
    return /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/.exec(req.trim())?.[0] ?? req;
}
async function planPyproject(ctx) {
    const project = table(ctx.pyproject, 'project');
    const poetryDeps = table(ctx.pyproject, 'tool', 'poetry', 'dependencies');
    const dynamic = Array.isArray(project?.dynamic) && project.dynamic.includes('dependencies');
    const declared = Array.isArray(project?.dependencies) ? project.dependencies.filter((d) => typeof d === 'string') : [];
    const safe = [];
    const floats = [];
    for (const req of declared) {
        const text = req.trim();
        if (safe.length < MAX_DECLARED && SAFE_REQUIREMENT.test(text))
            safe.push(text);
        else if (hasControl(text))
            // Not a requirement pip could read either: said as a warning, so the change to the build is never silent.
            ctx.report.warnings.push(`pyproject.toml: the dependency ${describeValue(text, 120)} holds a line break or control character; it is left out of the generated Dockerfile (the project install after the code reads pyproject.toml itself)`);
        else
            ctx.report.notes.push(`the dependency ${describeValue(text, 80)} is not installed ahead of the code (only plain name/version/marker requirements are); the project install after the code installs it`);
        if (!EXACT.test(text))
            floats.push({
                kind: 'requirement',
                ecosystem: 'python',
                name: requirementName(text),
                from: 'pyproject.toml',
                why: 'no exact == pin: pip chooses the version at build time'
            });
    }
    if (!project && poetryDeps)
        for (const name of Object.keys(poetryDeps).filter((n) => n !== 'python'))
            floats.push({
                kind: 'requirement',
                ecosystem: 'python',
                name,
                from: 'pyproject.toml',
                why: 'Poetry dependency without a poetry.lock: pip chooses the version at build time'
            });
    const hasDeps = declared.length > 0 ||
        dynamic ||
        (poetryDeps !== undefined && Object.keys(poetryDeps).some((n) => n !== 'python')) ||
        ctx.project === 'setup.py';
    if (hasDeps)
        floats.push({
            kind: 'unlisted-dependencies',
            ecosystem: 'python',
            name: ctx.project ?? 'pyproject.toml',
            from: ctx.project ?? 'pyproject.toml',
            why: ctx.project === 'setup.py'
                ? "setup.py's dependencies are not read (the file is never run): every version is chosen at build time"
                : dynamic
                    ? 'the dependencies are dynamic (computed by the build backend): every version is chosen at build time'
                    : 'the dependencies of the declared dependencies are chosen at build time'
        });
    const exact = declared.filter((d) => EXACT.test(d.trim())).length;
    const pinning = !hasDeps ? 'locked' : exact > 0 ? 'partial' : 'none';
    if (hasDeps)
        ctx.report.warnings.push(`${ctx.project ?? 'pyproject.toml'} declares dependencies without a lockfile: their versions are chosen when the image is built, so two builds may differ (commit a uv.lock, poetry.lock or a requirements.txt with --hash lines)`);
    const steps = [];
    if (safe.length > 0)
        steps.push({ from: 'pyproject.toml', stage: 'before-code', copy: [], run: `${PIP_INSTALL} ${safe.map((r) => `'${r}'`).join(' ')}` });
    steps.push(...projectStep(ctx, false));
    const file = ctx.project ?? 'pyproject.toml';
    return {
        steps,
        installs: hasDeps
            ? [{ ecosystem: 'python', file, sha256: await ctx.files.sha256(file), installer: 'pip install (no lock)', pinning }]
            : [],
        floats,
        env: [],
        reasons: [
            ...(safe.length > 0
                ? [`pyproject.toml: ${safe.length} declared dependenc${safe.length === 1 ? 'y' : 'ies'} installed before the code`]
                : []),
            ...(ctx.project ? [`${ctx.project}: the project is installed`] : [])
        ]
    };
}

;// CONCATENATED MODULE: ./src/core/detect/python/requirements.ts
const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/;
/** `==1.2.3` or `===x` alone (no wildcard, no second clause) is a pin. */
const requirements_EXACT = /^\s*(?:\[[^\]]*\])?\s*===?\s*[A-Za-z0-9.+!_-]+\s*$/;
/**
 * Counts the requirements and says whether any line needs the rest of the
 * code to be there: `-r`/`-c` of another file, `-e`, a local path or a
 * `file:` URL, or `--find-links` to a folder. Such a file is installed after
 * the code is copied; otherwise before, so its layer is reused when only the
 * code changes.
 */
function scanRequirements(text) {
    let entries = 0;
    let local = false;
    let withHash = 0;
    const unpinned = [];
    // Backslash-newline joins lines (pip does the same).
    const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
    for (const raw of lines) {
        const line = raw.replace(/(^|\s)#.*$/, '').trim();
        if (line === '')
            continue;
        if (/^(-r|--requirement|-c|--constraint|-e|--editable)\b/.test(line)) {
            local = true;
            entries++;
            if (/^(-e|--editable)\b/.test(line))
                unpinned.push(line.split(/\s+/).slice(1).join(' ') || line);
            continue;
        }
        const findLinks = /^(?:-f|--find-links)(?:\s+|=)(\S+)/.exec(line);
        if (findLinks) {
            if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(findLinks[1]) || /^file:/i.test(findLinks[1]))
                local = true;
            continue;
        }
        if (line.startsWith('-'))
            continue; // other options: --index-url, --no-index, --pre, …
        entries++;
        const hashed = /(^|\s)--hash[=\s]/.test(line);
        if (hashed)
            withHash++;
        const requirement = line.split(/\s--/)[0].trim();
        const first = line.split(/[\s;]/)[0];
        const remote = /^[a-z][a-z0-9+.-]*:\/\//i.test(first) && !/^file:/i.test(first);
        const path = !remote && (/^file:/i.test(first) || /^(\.|\/|~)/.test(first) || /\.(whl|tar\.gz|zip)$/i.test(first));
        if (path || /@\s*file:/i.test(line))
            local = true;
        const name = NAME.exec(requirement)?.[1];
        const spec = requirement.slice(name?.length ?? 0).split(';')[0];
        const direct = spec.includes('@');
        if (!name || remote || path)
            unpinned.push(first);
        else if (direct ? !hashed : !requirements_EXACT.test(spec))
            unpinned.push(name);
    }
    return { entries, local, hashed: entries > 0 && withHash === entries, unpinned };
}
/** The floats of a requirements file that is not a hashed lock. */
function requirementFloats(file, scan) {
    const floats = scan.unpinned.map((name) => ({
        kind: 'requirement',
        ecosystem: 'python',
        name,
        from: file,
        why: 'no exact == pin: pip chooses the version at build time'
    }));
    if (scan.entries > 0)
        floats.push({
            kind: 'unlisted-dependencies',
            ecosystem: 'python',
            name: file,
            from: file,
            why: 'without --hash lines pip also installs dependencies the file does not list, at versions chosen at build time'
        });
    return floats;
}

;// CONCATENATED MODULE: ./src/core/detect/python/uv.ts
/**
 * uv.lock: uv, pinned to UV_VERSION and installed with pip in the image,
 * runs `uv sync --frozen` (the lock as it is, never re-resolved) into a
 * virtual environment at /opt/venv, which PATH puts first. The dependencies
 * are installed from pyproject.toml and uv.lock alone
 * (`--no-install-project`), before the code is copied; the project itself,
 * when it is a package (it has a [build-system]), is installed after.
 * uv never downloads a Python here (UV_PYTHON_DOWNLOADS=never): the base
 * image's is the one detection chose from requires-python.
 * A workspace, or sources that are local paths, need the whole tree: then
 * the sync runs after the code is copied.
 */

/** The uv every package uses; pinned so that a rebuild reads the lock with the same uv. */
const UV_VERSION = '0.8.15';
const UV_ENV = [
    'UV_PROJECT_ENVIRONMENT=/opt/venv',
    'UV_PYTHON_DOWNLOADS=never',
    'UV_NO_CACHE=1',
    'VIRTUAL_ENV=/opt/venv',
    'PATH=/opt/venv/bin:${PATH}'
];
async function planUv(ctx) {
    const uv = table(ctx.pyproject, 'tool', 'uv');
    const sources = table(uv, 'sources') ?? {};
    const localSource = Object.values(sources).some((s) => {
        const list = Array.isArray(s) ? s : [s];
        return list.some((e) => e && typeof e === 'object' && ('path' in e || 'workspace' in e));
    });
    const afterCodeBecause = table(uv, 'workspace')
        ? 'the project is a uv workspace'
        : localSource
            ? 'tool.uv.sources names local paths'
            : undefined;
    const packaged = table(ctx.pyproject, 'build-system') !== undefined;
    const install = `python3 -m pip install --no-cache-dir uv==${UV_VERSION}`;
    const sync = 'uv sync --frozen --no-dev';
    const steps = afterCodeBecause
        ? [{ from: 'uv.lock', stage: 'after-code', copy: [], run: `${install} && ${sync}` }]
        : [
            { from: 'uv.lock', stage: 'before-code', copy: ['pyproject.toml', 'uv.lock'], run: `${install} && ${sync} --no-install-project` },
            ...(packaged ? [{ from: 'pyproject.toml', stage: 'after-code', copy: [], run: sync }] : [])
        ];
    if (packaged)
        buildBackendNote(ctx, 'uv.lock');
    return {
        steps,
        installs: [
            {
                ecosystem: 'python',
                file: 'uv.lock',
                sha256: await ctx.files.sha256('uv.lock'),
                installer: `uv ${UV_VERSION}: uv sync --frozen --no-dev`,
                pinning: 'locked'
            }
        ],
        floats: [],
        env: UV_ENV,
        reasons: [afterCodeBecause ? `uv.lock: uv sync --frozen (after the code: ${afterCodeBecause})` : 'uv.lock: uv sync --frozen']
    };
}

;// CONCATENATED MODULE: ./src/core/detect/python/index.ts
/**
 * Which Python installer runs, when several files could say what to install.
 * The most frozen file wins; the others are named in a note. In order:
 *
 *   1. uv.lock (with pyproject.toml)              uv sync --frozen
 *   2. poetry.lock (with pyproject.toml)          poetry export (hashes) → pip --require-hashes,
 *                                                 or poetry install (the image's Poetry without export)
 *   3. Pipfile.lock (with Pipfile)                pipenv install --deploy --system
 *   (2 and 3 use the base image's poetry / pipenv when it has one: see poetry.ts)
 *   4. requirements*.txt with --hash on every line  pip install --require-hashes
 *      (requirements.txt first, then the others by name)
 *   5. conda-linux-64.lock (@EXPLICIT), conda-lock.yml, environment.yml(.yaml)
 *                                                 micromamba, on its own base image
 *   6. requirements.txt                           pip install -r (versions float)
 *   7. pyproject.toml / setup.py                  declared dependencies, then the project (versions float)
 *
 * After 1–4 the project itself (when there is one) is installed after the
 * code with `--no-deps`, so nothing but the lock decides a dependency.
 */












const python_REQUIREMENTS_FILE = /^requirements[A-Za-z0-9._-]{0,100}\.txt$/;
/** Files whose presence means "there are Python dependencies to install". */
const PYTHON_LOCKS = [
    'uv.lock',
    'poetry.lock',
    'Pipfile.lock',
    'Pipfile',
    'conda-linux-64.lock',
    'conda-lock.yml',
    'environment.yml',
    'environment.yaml'
];
async function planPython(ctx) {
    const { files, report } = ctx;
    const has = (name) => files.isRegularFile(name);
    const used = [];
    const plan = await choose();
    // Everything else that could have said what to install is named, so nothing is ignored silently.
    const seen = [...PYTHON_LOCKS, ...files.names.filter((n) => python_REQUIREMENTS_FILE.test(n))];
    const winner = plan.installs[0]?.file ?? plan.steps[0]?.from;
    for (const name of seen)
        if (files.path(name) !== winner &&
            !used.includes(name) &&
            (await has(name)) &&
            !(name === 'Pipfile' && winner === files.path('Pipfile.lock')))
            report.notes.push(`${files.path(name)} is also present; ${winner ?? 'nothing'} is used (see docs/CONTAINER.md for which file wins)`);
    return plan;
    async function choose() {
        const pyproject = await has('pyproject.toml');
        if (await has('uv.lock')) {
            if (pyproject)
                return planUv(ctx);
            report.warnings.push('uv.lock is present without a pyproject.toml, which uv needs to read it; ignored');
        }
        if (await has('poetry.lock')) {
            if (pyproject)
                return planPoetry(ctx);
            report.warnings.push('poetry.lock is present without a pyproject.toml, which Poetry needs to read it; ignored');
        }
        if (await has('Pipfile.lock')) {
            if (await has('Pipfile'))
                return planPipenv(ctx);
            report.warnings.push('Pipfile.lock is present without its Pipfile, which pipenv needs; ignored');
        }
        const reqNames = files.names
            .filter((n) => python_REQUIREMENTS_FILE.test(n))
            .sort((a, b) => (a === 'requirements.txt' ? -1 : b === 'requirements.txt' ? 1 : a.localeCompare(b)));
        const scans = new Map();
        for (const name of reqNames) {
            const status = await files.read(name);
            if (status.state === 'ok')
                scans.set(name, scanRequirements(status.text));
            // requirements.txt's own problems were reported by detectPython already.
            else if (status.state !== 'missing' && name !== 'requirements.txt')
                report.warnings.push(describeUnreadable(name, status));
        }
        const hashed = reqNames.find((n) => scans.get(n)?.hashed);
        if (hashed) {
            const scan = scans.get(hashed);
            used.push(hashed);
            const at = files.path(hashed);
            const run = `${PIP_INSTALL} --require-hashes -r ${at}`;
            return {
                steps: [
                    scan.local ? { from: at, stage: 'after-code', copy: [], run } : { from: at, stage: 'before-code', copy: [at], run },
                    ...projectStep(ctx, true)
                ],
                installs: [
                    {
                        ecosystem: 'python',
                        file: at,
                        sha256: await files.sha256(hashed),
                        installer: 'pip install --require-hashes',
                        pinning: 'locked'
                    }
                ],
                floats: [],
                env: [],
                reasons: [
                    `${at}: pip --require-hashes${scan.local ? ' (installed after the code: it refers to local files)' : ''}`,
                    ...(ctx.project ? [`${ctx.project}: the project is installed (--no-deps)`] : [])
                ]
            };
        }
        const conda = await findCondaFile(ctx);
        if (conda)
            return planConda(ctx, conda);
        const req = scans.get('requirements.txt');
        // A Pipfile without its lock floats entirely: after requirements.txt (which may pin), before a bare project.
        if (!req && (await has('Pipfile')))
            return planPipfileUnlocked(ctx);
        if (req) {
            used.push('requirements.txt');
            const at = files.path('requirements.txt');
            const steps = [];
            const floats = req.entries > 0 ? requirementFloats(at, req) : [];
            const reasons = [];
            if (req.entries === 0)
                reasons.push(`${at} lists no packages`);
            else {
                const run = `${PIP_INSTALL} -r ${at}`;
                steps.push(req.local ? { from: at, stage: 'after-code', copy: [], run } : { from: at, stage: 'before-code', copy: [at], run });
                reasons.push(req.local ? `${at} (installed after the code: it refers to local files)` : at);
                if (req.unpinned.length > 0)
                    report.warnings.push(`${at} has requirements without an exact == pin (${req.unpinned.length}): their versions are chosen when the image is built (pin them, or generate the file with hashes, e.g. pip-compile --generate-hashes)`);
                else
                    report.notes.push(`${at} pins versions but has no --hash lines: the dependencies it does not list are chosen when the image is built (generate it with hashes, e.g. pip-compile --generate-hashes)`);
            }
            const project = projectStep(ctx, false);
            if (ctx.project) {
                reasons.push(`${ctx.project}: the project is installed`);
                if (ctx.project === 'setup.py' || !req.entries)
                    floats.push({
                        kind: 'unlisted-dependencies',
                        ecosystem: 'python',
                        name: ctx.project,
                        from: ctx.project,
                        why: 'the project install resolves its own dependencies at build time'
                    });
            }
            return {
                steps: [...steps, ...project],
                installs: req.entries > 0
                    ? [
                        {
                            ecosystem: 'python',
                            file: at,
                            sha256: await files.sha256('requirements.txt'),
                            installer: 'pip install -r',
                            pinning: req.unpinned.length === 0 || req.unpinned.length < req.entries ? 'partial' : 'none'
                        }
                    ]
                    : [],
                floats,
                env: [],
                reasons
            };
        }
        if (ctx.project)
            return planPyproject(ctx);
        return { steps: [], installs: [], floats: [], env: [], reasons: [] };
    }
}

;// CONCATENATED MODULE: ./node_modules/@renovatebot/pep440/lib/version.js
const VERSION_PATTERN = [
  'v?',
  '(?:',
  /* */ '(?:(?<epoch>[0-9]+)!)?', // epoch
  /* */ '(?<release>[0-9]+(?:\\.[0-9]+)*)', // release segment
  /* */ '(?<pre>', // pre-release
  /*    */ '[-_\\.]?',
  /*    */ '(?<pre_l>(a|b|c|rc|alpha|beta|pre|preview))',
  /*    */ '[-_\\.]?',
  /*    */ '(?<pre_n>[0-9]+)?',
  /* */ ')?',
  /* */ '(?<post>', // post release
  /*    */ '(?:-(?<post_n1>[0-9]+))',
  /*    */ '|',
  /*    */ '(?:',
  /*        */ '[-_\\.]?',
  /*        */ '(?<post_l>post|rev|r)',
  /*        */ '[-_\\.]?',
  /*        */ '(?<post_n2>[0-9]+)?',
  /*    */ ')',
  /* */ ')?',
  /* */ '(?<dev>', // dev release
  /*    */ '[-_\\.]?',
  /*    */ '(?<dev_l>dev)',
  /*    */ '[-_\\.]?',
  /*    */ '(?<dev_n>[0-9]+)?',
  /* */ ')?',
  ')',
  '(?:\\+(?<local>[a-z0-9]+(?:[-_\\.][a-z0-9]+)*))?', // local version
].join('');



const validRegex = new RegExp('^' + VERSION_PATTERN + '$', 'i');

function valid(version) {
  return validRegex.test(version) ? version : null;
}

const cleanRegex = new RegExp('^\\s*' + VERSION_PATTERN + '\\s*$', 'i');
function clean(version) {
  return version_stringify(version_parse(version, cleanRegex));
}

function version_parse(version, regex) {
  // Validate the version and parse it into pieces
  const { groups } = (regex || validRegex).exec(version) || {};
  if (!groups) {
    return null;
  }

  // Store the parsed out pieces of the version
  const parsed = {
    epoch: Number(groups.epoch ? groups.epoch : 0),
    release: groups.release.split('.').map(Number),
    pre: normalize_letter_version(groups.pre_l, groups.pre_n),
    post: normalize_letter_version(
      groups.post_l,
      groups.post_n1 || groups.post_n2,
    ),
    dev: normalize_letter_version(groups.dev_l, groups.dev_n),
    local: parse_local_version(groups.local),
  };

  return parsed;
}

function version_stringify(parsed) {
  if (!parsed) {
    return null;
  }
  const { epoch, release, pre, post, dev, local } = parsed;
  const parts = [];

  // Epoch
  if (epoch !== 0) {
    parts.push(`${epoch}!`);
  }
  // Release segment
  parts.push(release.join('.'));

  // Pre-release
  if (pre) {
    parts.push(pre.join(''));
  }
  // Post-release
  if (post) {
    parts.push('.' + post.join(''));
  }
  // Development release
  if (dev) {
    parts.push('.' + dev.join(''));
  }
  // Local version segment
  if (local) {
    parts.push(`+${local}`);
  }
  return parts.join('');
}

function normalize_letter_version(letterIn, numberIn) {
  let letter = letterIn;
  let number = numberIn;
  if (letter) {
    // We consider there to be an implicit 0 in a pre-release if there is
    // not a numeral associated with it.
    if (!number) {
      number = 0;
    }
    // We normalize any letters to their lower case form
    letter = letter.toLowerCase();

    // We consider some words to be alternate spellings of other words and
    // in those cases we want to normalize the spellings to our preferred
    // spelling.
    if (letter === 'alpha') {
      letter = 'a';
    } else if (letter === 'beta') {
      letter = 'b';
    } else if (['c', 'pre', 'preview'].includes(letter)) {
      letter = 'rc';
    } else if (['rev', 'r'].includes(letter)) {
      letter = 'post';
    }
    return [letter, Number(number)];
  }
  if (!letter && number) {
    // We assume if we are given a number, but we are not given a letter
    // then this is using the implicit post release syntax (e.g. 1.0-1)
    letter = 'post';

    return [letter, Number(number)];
  }
  return null;
}

function parse_local_version(local) {
  /*
    Takes a string like abc.1.twelve and turns it into("abc", 1, "twelve").
    */
  if (local) {
    return local
      .split(/[._-]/)
      .map((part) =>
        Number.isNaN(Number(part)) ? part.toLowerCase() : Number(part),
      );
  }
  return null;
}

function version_explain(version) {
  const parsed = version_parse(version);
  if (!parsed) {
    return parsed;
  }
  const { epoch, release, pre, post, dev, local } = parsed;

  let base_version = '';
  if (epoch !== 0) {
    base_version += epoch + '!';
  }
  base_version += release.join('.');

  const is_prerelease = Boolean(dev || pre);
  const is_devrelease = Boolean(dev);
  const is_postrelease = Boolean(post);

  // return

  return {
    epoch,
    release,
    pre,
    post: post ? post[1] : post,
    dev: dev ? dev[1] : dev,
    local: local ? local.join('.') : local,
    public: version_stringify(parsed).split('+', 1)[0],
    base_version,
    is_prerelease,
    is_devrelease,
    is_postrelease,
  };
}

;// CONCATENATED MODULE: ./node_modules/@renovatebot/pep440/lib/operator.js




function operator_lt(version, other) {
  return compare(version, other) < 0;
}

function operator_le(version, other) {
  return compare(version, other) <= 0;
}

function eq(version, other) {
  return compare(version, other) === 0;
}

function operator_ne(version, other) {
  return compare(version, other) !== 0;
}

function operator_ge(version, other) {
  return compare(version, other) >= 0;
}

function operator_gt(version, other) {
  return compare(version, other) > 0;
}

function arbitrary(version, other) {
  return version.toLowerCase() === other.toLowerCase();
}

function compare(version, other) {
  const parsedVersion = version_parse(version);
  const parsedOther = version_parse(other);

  const keyVersion = calculateKey(parsedVersion);
  const keyOther = calculateKey(parsedOther);

  return pyCompare(keyVersion, keyOther);
}

function rcompare(version, other) {
  return -compare(version, other);
}

// this logic is buitin in python, but we need to port it to js
// see https://stackoverflow.com/a/5292332/1438522
function pyCompare(elemIn, otherIn) {
  let elem = elemIn;
  let other = otherIn;
  if (elem === other) {
    return 0;
  }
  if (Array.isArray(elem) !== Array.isArray(other)) {
    elem = Array.isArray(elem) ? elem : [elem];
    other = Array.isArray(other) ? other : [other];
  }
  if (Array.isArray(elem)) {
    const len = Math.min(elem.length, other.length);
    for (let i = 0; i < len; i += 1) {
      const res = pyCompare(elem[i], other[i]);
      if (res !== 0) {
        return res;
      }
    }
    return elem.length - other.length;
  }
  if (elem === -Infinity || other === Infinity) {
    return -1;
  }
  if (elem === Infinity || other === -Infinity) {
    return 1;
  }
  return elem < other ? -1 : 1;
}

function calculateKey(input) {
  const { epoch } = input;
  let { release, pre, post, local, dev } = input;
  // When we compare a release version, we want to compare it with all of the
  // trailing zeros removed. So we'll use a reverse the list, drop all the now
  // leading zeros until we come to something non zero, then take the rest
  // re-reverse it back into the correct order and make it a tuple and use
  // that for our sorting key.
  release = release.concat();
  release.reverse();
  while (release.length && release[0] === 0) {
    release.shift();
  }
  release.reverse();

  // We need to "trick" the sorting algorithm to put 1.0.dev0 before 1.0a0.
  // We'll do this by abusing the pre segment, but we _only_ want to do this
  // if there is !a pre or a post segment. If we have one of those then
  // the normal sorting rules will handle this case correctly.
  if (!pre && !post && dev) pre = -Infinity;
  // Versions without a pre-release (except as noted above) should sort after
  // those with one.
  else if (!pre) pre = Infinity;

  // Versions without a post segment should sort before those with one.
  if (!post) post = -Infinity;

  // Versions without a development segment should sort after those with one.
  if (!dev) dev = Infinity;

  if (!local) {
    // Versions without a local segment should sort before those with one.
    local = -Infinity;
  } else {
    // Versions with a local segment need that segment parsed to implement
    // the sorting rules in PEP440.
    // - Alpha numeric segments sort before numeric segments
    // - Alpha numeric segments sort lexicographically
    // - Numeric segments sort numerically
    // - Shorter versions sort before longer versions when the prefixes
    //   match exactly
    local = local.map((i) =>
      Number.isNaN(Number(i)) ? [-Infinity, i] : [Number(i), ''],
    );
  }

  return [epoch, release, pre, post, dev, local];
}

;// CONCATENATED MODULE: ./node_modules/@renovatebot/pep440/lib/specifier.js
// This file is dual licensed under the terms of the Apache License, Version
// 2.0, and the BSD License. See the LICENSE file in the root of this repository
// for complete details.





const RANGE_PATTERN = [
  '(?<operator>(===|~=|==|!=|<=|>=|<|>))',
  '\\s*',
  '(',
  /*  */ '(?<version>(?:' + VERSION_PATTERN.replace(/\?<\w+>/g, '?:') + '))',
  /*  */ '(?<prefix>\\.\\*)?',
  /*  */ '|',
  /*  */ '(?<legacy>[^,;\\s)]+)',
  ')',
].join('');



const isEqualityOperator = (op) => ['==', '!=', '==='].includes(op);

const rangeRegex = new RegExp('^' + RANGE_PATTERN + '$', 'i');

function specifier_parse(ranges) {
  if (!ranges.trim()) {
    return [];
  }

  const specifiers = ranges
    .split(',')
    .map((range) => rangeRegex.exec(range.trim()) || {})
    .map(({ groups }) => {
      if (!groups) {
        return null;
      }

      let { ...spec } = groups;
      const { operator, version, prefix, legacy } = groups;

      if (version) {
        spec = { ...spec, ...version_explain(version) };
        if (operator === '~=') {
          if (spec.release.length < 2) {
            return null;
          }
        }
        if (!isEqualityOperator(operator) && spec.local) {
          return null;
        }

        if (prefix) {
          if (!isEqualityOperator(operator) || spec.dev || spec.local) {
            return null;
          }
        }
      }
      if (legacy && operator !== '===') {
        return null;
      }

      return spec;
    });

  if (specifiers.filter(Boolean).length !== specifiers.length) {
    return null;
  }

  return specifiers;
}

function filter(versions, specifier, options = {}) {
  const filtered = pick(versions, specifier, options);
  if (filtered.length === 0 && options.prereleases === undefined) {
    return pick(versions, specifier, { prereleases: true });
  }
  return filtered;
}

function maxSatisfying(versions, range, options) {
  const found = filter(versions, range, options).sort(Operator.compare);
  return found.length === 0 ? null : found[found.length - 1];
}

function minSatisfying(versions, range, options) {
  const found = filter(versions, range, options).sort(Operator.compare);
  return found.length === 0 ? null : found[0];
}

function pick(versions, specifier, options) {
  const parsed = specifier_parse(specifier);

  if (!parsed) {
    return [];
  }

  return versions.filter((version) => {
    const explained = version_explain(version);

    if (!parsed.length) {
      return explained && !(explained.is_prerelease && !options.prereleases);
    }

    return parsed.reduce((pass, spec) => {
      if (!pass) {
        return false;
      }
      return contains({ ...spec, ...options }, { version, explained });
    }, true);
  });
}

function satisfies(version, specifier, options = {}) {
  const filtered = pick([version], specifier, options);

  return filtered.length === 1;
}

function arrayStartsWith(array, prefix) {
  if (prefix.length > array.length) {
    return false;
  }

  for (let i = 0; i < prefix.length; i += 1) {
    if (prefix[i] !== array[i]) {
      return false;
    }
  }

  return true;
}

function contains(specifier, input) {
  const { explained } = input;
  let { version } = input;
  const { ...spec } = specifier;

  if (spec.prereleases === undefined) {
    spec.prereleases = spec.is_prerelease;
  }

  if (explained && explained.is_prerelease && !spec.prereleases) {
    return false;
  }

  if (spec.operator === '~=') {
    let compatiblePrefix = spec.release.slice(0, -1).concat('*').join('.');
    if (spec.epoch) {
      compatiblePrefix = spec.epoch + '!' + compatiblePrefix;
    }
    return satisfies(version, `>=${spec.version}, ==${compatiblePrefix}`, {
      prereleases: spec.prereleases,
    });
  }

  if (spec.prefix) {
    const isMatching =
      explained.epoch === spec.epoch &&
      arrayStartsWith(explained.release, spec.release);
    const isEquality = spec.operator !== '!=';
    return isEquality ? isMatching : !isMatching;
  }

  if (explained && explained.local && spec.version) {
    // Ignore candidate local labels only when the specifier itself is public.
    if (spec.operator !== '===' && !spec.local) {
      version = explained.public;
      spec.version = version_explain(spec.version).public;
    }
  }

  if (spec.operator === '<' || spec.operator === '>') {
    // simplified version of https://www.python.org/dev/peps/pep-0440/#exclusive-ordered-comparison
    if (eq(spec.release.join('.'), explained.release.join('.'))) {
      return false;
    }
  }

  // TODO: fix me?
  // eslint-disable-next-line import-x/namespace
  const op = operator_namespaceObject[spec.operator];
  return op(version, spec.version || spec.legacy);
}

function validRange(specifier) {
  return Boolean(specifier_parse(specifier));
}

;// CONCATENATED MODULE: ./node_modules/@renovatebot/pep440/lib/semantic.js


// those notation are borrowed from semver


function major(input) {
  const version = explain(input);
  if (!version) {
    throw new TypeError('Invalid Version: ' + input);
  }
  return version.release[0];
}

function minor(input) {
  const version = explain(input);
  if (!version) {
    throw new TypeError('Invalid Version: ' + input);
  }
  if (version.release.length < 2) {
    return 0;
  }
  return version.release[1];
}

function patch(input) {
  const version = explain(input);
  if (!version) {
    throw new TypeError('Invalid Version: ' + input);
  }
  if (version.release.length < 3) {
    return 0;
  }
  return version.release[2];
}

function inc(input, release, preReleaseIdentifier) {
  let identifier = preReleaseIdentifier || `a`;
  const version = parse(input);

  if (!version) {
    return null;
  }

  if (
    !['a', 'b', 'c', 'rc', 'alpha', 'beta', 'pre', 'preview'].includes(
      identifier,
    )
  ) {
    return null;
  }

  switch (release) {
    case 'premajor':
      {
        const [majorVersion] = version.release;
        version.release.fill(0);
        version.release[0] = majorVersion + 1;
      }
      version.pre = [identifier, 0];
      delete version.post;
      delete version.dev;
      delete version.local;
      break;
    case 'preminor':
      {
        const [majorVersion, minorVersion = 0] = version.release;
        version.release.fill(0);
        version.release[0] = majorVersion;
        version.release[1] = minorVersion + 1;
      }
      version.pre = [identifier, 0];
      delete version.post;
      delete version.dev;
      delete version.local;
      break;
    case 'prepatch':
      {
        const [majorVersion, minorVersion = 0, patchVersion = 0] =
          version.release;
        version.release.fill(0);
        version.release[0] = majorVersion;
        version.release[1] = minorVersion;
        version.release[2] = patchVersion + 1;
      }
      version.pre = [identifier, 0];
      delete version.post;
      delete version.dev;
      delete version.local;
      break;
    case 'prerelease':
      if (version.pre === null) {
        const [majorVersion, minorVersion = 0, patchVersion = 0] =
          version.release;
        version.release.fill(0);
        version.release[0] = majorVersion;
        version.release[1] = minorVersion;
        version.release[2] = patchVersion + 1;
        version.pre = [identifier, 0];
      } else {
        if (preReleaseIdentifier === undefined && version.pre !== null) {
          [identifier] = version.pre;
        }

        const [letter, number] = version.pre;
        if (letter === identifier) {
          version.pre = [letter, number + 1];
        } else {
          version.pre = [identifier, 0];
        }
      }

      delete version.post;
      delete version.dev;
      delete version.local;
      break;
    case 'major':
      if (
        version.release.slice(1).some((value) => value !== 0) ||
        version.pre === null
      ) {
        const [majorVersion] = version.release;
        version.release.fill(0);
        version.release[0] = majorVersion + 1;
      }
      delete version.pre;
      delete version.post;
      delete version.dev;
      delete version.local;
      break;
    case 'minor':
      if (
        version.release.slice(2).some((value) => value !== 0) ||
        version.pre === null
      ) {
        const [majorVersion, minorVersion = 0] = version.release;
        version.release.fill(0);
        version.release[0] = majorVersion;
        version.release[1] = minorVersion + 1;
      }
      delete version.pre;
      delete version.post;
      delete version.dev;
      delete version.local;
      break;
    case 'patch':
      if (
        version.release.slice(3).some((value) => value !== 0) ||
        version.pre === null
      ) {
        const [majorVersion, minorVersion = 0, patchVersion = 0] =
          version.release;
        version.release.fill(0);
        version.release[0] = majorVersion;
        version.release[1] = minorVersion;
        version.release[2] = patchVersion + 1;
      }
      delete version.pre;
      delete version.post;
      delete version.dev;
      delete version.local;
      break;
    default:
      return null;
  }

  return stringify(version);
}

;// CONCATENATED MODULE: ./node_modules/@renovatebot/pep440/index.js










// EXTERNAL MODULE: ./node_modules/semver/index.js
var semver = __nccwpck_require__(88);
var semver_default = /*#__PURE__*/__nccwpck_require__.n(semver);
;// CONCATENATED MODULE: ./src/core/detect/versions.ts
/**
 * The version ranges projects declare their runtime with, asked one
 * question: "does some release of this line (Python 3.11, Node 22) satisfy
 * the declared range?" PEP 440 specifier sets (`requires-python`,
 * `python_requires`) are read by @renovatebot/pep440, npm ranges
 * (`engines.node`) by semver, and Poetry's `python` constraint, which mixes
 * the two, by whichever of them its operators belong to. A range the library
 * rejects is reported as not understood rather than guessed at, and nothing
 * parsed here is ever written into a Dockerfile: only a line from our own list
 * of known image tags is.
 */


/** Far longer than any real declaration; a longer text is refused before either parser sees it. */
const MAX_LENGTH = 200;
/** npm's range syntax (`>=18 <21`, `^18 || ^20`, `18 - 20`, `20.x`); undefined if semver rejects it. */
function parseNpmRange(text) {
    if (text.length > MAX_LENGTH)
        return undefined;
    const range = semver_default().validRange(text);
    if (range === null)
        return undefined;
    // "22.x" is exactly the releases of the line, so intersecting with it asks whether any of them is allowed.
    return { allows: (line) => semver_default().intersects(range, `${line}.x`) };
}
/**
 * How many releases of a Python line a specifier set is tried against. The
 * library answers "does this version satisfy the set", not "does any release
 * of 3.11", so each line's possible final releases are listed, 3.11.0 to
 * 3.11.99: no CPython line has come near 30 patch releases. Pre-releases are
 * left out because no image tag we use is one.
 */
const PATCH_RELEASES = 100;
/** PEP 440 specifier sets (`>=3.9,!=3.10.*,<3.13`, `~=3.11`, `==3.12.*`); undefined if the library rejects it. */
function parsePep440(text) {
    if (text.length > MAX_LENGTH || !validRange(text))
        return undefined;
    return {
        allows: (line) => {
            const releases = Array.from({ length: PATCH_RELEASES }, (_, patch) => `${line}.${patch}`);
            return filter(releases, text, { prereleases: false }).length > 0;
        }
    };
}
/**
 * Poetry's `python` constraint. Poetry accepts npm-like operators (`^3.10`,
 * `~3.10`, `3.10.*`) and PEP 440 ones (`~=`, `==`, `!=`), with `,` for "and"
 * and `||` for "or". Neither library reads the mix, so this keeps the one
 * piece of syntax they lack: each `||` alternative goes to PEP 440 when it
 * uses a PEP 440-only operator (semver would read `~=3.10` as npm's `~3.10`,
 * a narrower range), else to semver with its commas as spaces.
 */
function parsePoetryConstraint(text) {
    if (text.length > MAX_LENGTH)
        return undefined;
    const alternatives = [];
    for (const raw of text.split('||')) {
        const alt = raw.trim();
        // semver reads an empty alternative as "anything"; Poetry does not accept one, so neither do we.
        if (alt === '')
            return undefined;
        const range = /~=|==|!=/.test(alt) ? parsePep440(alt) : parseNpmRange(alt.replace(/\s*,\s*/g, ' '));
        if (!range)
            return undefined;
        alternatives.push(range);
    }
    return { allows: (line) => alternatives.some((range) => range.allows(line)) };
}

;// CONCATENATED MODULE: ./src/core/detect/python.ts
/**
 * Python: which dependency manifests to install and which Python to base the
 * image on.
 *
 * Manifests (strong signals): pyproject.toml with a [project] or
 * [build-system] table (the project is installed: `pip install .`),
 * requirements.txt (`pip install -r`), setup.py (`pip install .`).
 * Weak signals, used only when no language has a manifest: .python-version,
 * runtime.txt, a *.py file at the top level.
 *
 * Version, first that applies: .python-version, runtime.txt (exact pins),
 * then the ranges requires-python, [tool.poetry.dependencies] python,
 * setup.py python_requires (the default 3.12 if it is allowed, else the
 * allowed version nearest to it, the newer on a tie), else 3.12. Only versions from PYTHON_VERSIONS — tags the
 * official image is published under — ever reach the Dockerfile.
 */






/** Minor versions with official `python:3.X-slim-bookworm` images. */
const PYTHON_VERSIONS = ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14'];
const DEFAULT_PYTHON = '3.12';
function pythonImage(version) {
    return `python:${version}-slim-bookworm`;
}

async function detectPython(files, report) {
    const ranges = [];
    let project;
    let requirements;
    const hints = [];
    let pyprojectDoc;
    // pyproject.toml
    const pyproject = await files.read('pyproject.toml');
    if (pyproject.state === 'ok') {
        const toml = readTomlSummary(pyproject.text);
        pyprojectDoc = parseToml(pyproject.text);
        if (!toml)
            report.warnings.push('pyproject.toml could not be read as TOML; ignored');
        else if (toml.tables.has('project') || toml.tables.has('build-system')) {
            project = 'pyproject.toml';
            addRange(ranges, report, 'requires-python', toml.strings.get('project.requires-python'), parsePep440);
        }
        else
            report.notes.push('pyproject.toml has no [project] or [build-system] table, so there is no project to install');
        // Poetry's constraint, with or without a project table: a Poetry application (package-mode = false, or no
        // build system) still says which Python it runs on.
        if (toml)
            addRange(ranges, report, 'tool.poetry.dependencies.python', toml.strings.get('tool.poetry.dependencies.python'), parsePoetryConstraint);
    }
    else if (pyproject.state !== 'missing')
        report.warnings.push(describeUnreadable('pyproject.toml', pyproject));
    // requirements.txt
    const req = await files.read('requirements.txt');
    if (req.state === 'ok') {
        const parsed = scanRequirements(req.text);
        requirements = { stage: parsed.local ? 'after-code' : 'before-code', empty: parsed.entries === 0 };
    }
    else if (req.state !== 'missing')
        report.warnings.push(describeUnreadable('requirements.txt', req));
    // setup.py: only its python_requires is read, by a plain pattern (the file is never run).
    const setup = await files.read('setup.py');
    if (setup.state === 'ok') {
        if (!project)
            project = 'setup.py';
        const m = /\bpython_requires\s*=\s*(["'])([^"'\n]{1,200})\1/.exec(setup.text);
        addRange(ranges, report, 'setup.py python_requires', m?.[2], parsePep440);
    }
    else if (setup.state !== 'missing')
        report.warnings.push(describeUnreadable('setup.py', setup));
    // Pipfile's [requires]: python_full_version (X.Y.Z) or python_version (X.Y), read as that release line.
    const pipfile = await files.read('Pipfile');
    if (pipfile.state === 'ok') {
        const requires = readTomlSummary(pipfile.text);
        if (!requires)
            report.warnings.push(`${files.path('Pipfile')} could not be read as TOML; its [requires] python_version is not read`);
        else {
            const full = requires.strings.get('requires.python_full_version');
            const line = requires.strings.get('requires.python_version');
            const text = full ?? line;
            const from = `Pipfile ${full !== undefined ? 'python_full_version' : 'python_version'}`;
            if (text !== undefined) {
                if (/^\d+\.\d+(?:\.\d+)?$/.test(text.trim()))
                    addRange(ranges, report, from, `==${text.trim()}.*`.replace(/^(==\d+\.\d+\.\d+)\.\*$/, '$1'), parsePep440);
                else
                    report.warnings.push(`${from} ${describeValue(text, 40)} is not a Python version (X.Y or X.Y.Z); ignored`);
            }
        }
    }
    else if (pipfile.state !== 'missing')
        report.warnings.push(describeUnreadable(files.path('Pipfile'), pipfile));
    // Exact pins.
    let pinned;
    const pythonVersion = await files.read('.python-version', 4096);
    if (pythonVersion.state === 'ok') {
        hints.push('.python-version');
        const line = firstLine(pythonVersion.text);
        const m = /^(?:python-?)?(\d+)\.(\d+)(?:\.\d+)?$/.exec(line);
        const version = m ? `${m[1]}.${m[2]}` : undefined;
        if (version && isKnown(version))
            pinned = { version, from: '.python-version' };
        else
            report.warnings.push(`.python-version asks for ${describeValue(line, 60)}, which is not a Python version with an official image (${PYTHON_VERSIONS.join(', ')}); ignored`);
    }
    else if (pythonVersion.state !== 'missing')
        report.warnings.push(describeUnreadable('.python-version', pythonVersion, 4096));
    // runtime.txt: python-X.Y[.Z], or python-3 (the default Python 3); r-… is R's (r.ts).
    const runtimeAt = files.path('runtime.txt');
    const runtime = await files.read('runtime.txt', 4096);
    if (runtime.state === 'ok') {
        const line = firstLine(runtime.text);
        const m = /^python-(\d+)(?:\.(\d+)(?:\.\d+)?)?$/.exec(line);
        if (m) {
            hints.push(runtimeAt);
            const version = m[2] === undefined ? (m[1] === '3' ? DEFAULT_PYTHON : undefined) : `${m[1]}.${m[2]}`;
            if (m[2] === undefined && version)
                report.notes.push(`${runtimeAt} asks for python-3, any Python 3: the default, ${DEFAULT_PYTHON}`);
            if (!version || !isKnown(version))
                report.warnings.push(`${runtimeAt} asks for ${describeValue(line, 60)}, which is not a Python version with an official image (${PYTHON_VERSIONS.join(', ')}); ignored`);
            else if (!pinned)
                pinned = { version, from: runtimeAt };
            else if (pinned.version !== version)
                report.notes.push(`${runtimeAt} asks for Python ${version}; ${pinned.from} (${pinned.version}) comes first`);
        }
        else if (!/^r-/.test(line))
            report.warnings.push(`${runtimeAt} ${describeValue(line, 60)} names neither a Python (python-X.Y) nor an R runtime (r-X.Y.Z-YYYY-MM-DD); ignored`);
    }
    else if (runtime.state !== 'missing')
        report.warnings.push(describeUnreadable(runtimeAt, runtime, 4096));
    for (const name of files.names) {
        if (/\.py$/.test(name) && name !== 'setup.py' && (await files.isRegularFile(name))) {
            hints.push(name);
            break;
        }
    }
    let lockfile = false;
    for (const name of [...PYTHON_LOCKS, ...files.names.filter((n) => /^requirements[A-Za-z0-9._-]{0,100}\.txt$/.test(n))]) {
        if (await files.isRegularFile(name))
            lockfile = true;
        else if (files.names.includes(name) && PYTHON_LOCKS.includes(name))
            report.warnings.push(`${name} is not a regular file (a symbolic link or a folder); ignored`);
    }
    const manifest = project !== undefined || requirements !== undefined || lockfile;
    if (!manifest && hints.length === 0)
        return undefined;
    const found = { manifest, hints, requirements, project, pyproject: pyprojectDoc };
    // Choose the version.
    const range = ranges[0];
    if (pinned) {
        if (range && !range.range.allows(pinned.version)) {
            report.warnings.push(`Python ${pinned.version} from ${pinned.from} is outside ${range.from} ${describeValue(range.text, 80)}; using ${pinned.version}`);
        }
        return { ...found, version: pinned.version, versionFrom: pinned.from, constraint: range?.text };
    }
    if (range) {
        for (const other of ranges.slice(1))
            report.notes.push(`${other.from} is also declared; ${range.from} comes first`);
        const version = nearest(PYTHON_VERSIONS.filter((v) => range.range.allows(v)), PYTHON_VERSIONS, DEFAULT_PYTHON);
        if (version)
            return { ...found, version, versionFrom: range.from, constraint: range.text };
        report.warnings.push(`${range.from} ${describeValue(range.text, 80)} allows none of the Python versions with an official image (${PYTHON_VERSIONS.join(', ')}); using ${DEFAULT_PYTHON}`);
        return { ...found, version: DEFAULT_PYTHON, versionFrom: 'default', constraint: range.text };
    }
    return { ...found, version: DEFAULT_PYTHON, versionFrom: 'default' };
}
function addRange(ranges, report, from, text, parse) {
    if (text === undefined)
        return;
    const range = parse(text.trim());
    if (range)
        ranges.push({ from, text, range });
    else
        report.warnings.push(`${from} ${describeValue(text, 80)} is not a version range this tool understands; ignored`);
}
/**
 * The allowed version closest to the default in our list (the newer one on a
 * tie): a range like ">=3.13" gets 3.13, the most widely used release it
 * allows, rather than whatever is newest today.
 */
function nearest(allowed, all, preferred) {
    const at = all.indexOf(preferred);
    return [...allowed].sort((a, b) => Math.abs(all.indexOf(a) - at) - Math.abs(all.indexOf(b) - at) || all.indexOf(b) - all.indexOf(a))[0];
}
function isKnown(version) {
    return PYTHON_VERSIONS.includes(version);
}
function firstLine(text) {
    return (text
        .split(/\r?\n/)
        .map((l) => l.replace(/#.*/, '').trim())
        .find((l) => l !== '') ?? '');
}

;// CONCATENATED MODULE: ./src/core/detect/gpu.ts
/**
 * GPU jobs: does the Python environment ask for CUDA, and does the image get
 * a CUDA runtime base for it (the `gpu` option)?
 *
 * Detection only reads the dependency files it already reads (each up to
 * MAX_MANIFEST_BYTES; a larger lock is read from its head) for the names of
 * packages that use CUDA — torch, tensorflow's and-cuda extra, jax's cuda
 * extras, cupy's CUDA wheels, NVIDIA's CUDA library wheels, conda's
 * pytorch-cuda. A torch that is visibly the CPU-only build (a `+cpu` local
 * version, or the CPU wheel index's `/whl/cpu` path) does not count.
 *
 * `gpu` (default auto):
 * - auto: when such packages are found in a pip-installed Python job, the
 *   base becomes a CUDA runtime image (CUDA_IMAGES);
 * - cuda: always, for a pip-installed Python job;
 * - an image reference: like cuda, on that image (another CUDA release, a
 *   mirror); it must be Ubuntu or Debian based, since Python comes from apt;
 * - off: never; the note still says how to run on a GPU.
 *
 * Why a CUDA base at all, when PyTorch's and JAX's wheels carry their own
 * CUDA libraries: not every CUDA package does (CuPy's wheels, jax's
 * cuda12_local, onnxruntime-gpu and compiled extensions expect the CUDA
 * runtime and cuDNN on the system), and NVIDIA's image declares the CUDA
 * release it needs (NVIDIA_REQUIRE_CUDA), so a host whose driver is too old
 * fails when the container starts, with that message, rather than in the
 * middle of the job. The price is a larger image and Ubuntu's Python
 * instead of the official python image's (said in notes, job.json and the
 * frozen report: python3 comes from apt when the image is built).
 *
 * The CUDA images have no Python. The Dockerfile installs Ubuntu's python3
 * and python3-venv and makes a virtual environment at CUDA_PYTHON_DIR, put
 * first on PATH in an ENV of its own (before the installers' ENV, whose
 * PATH entries, e.g. uv's /opt/venv/bin, then come in front of it): every
 * installer's `python3 -m pip` then installs into it as it does into the
 * official image's Python, and Ubuntu 24.04's python3, which refuses pip
 * installs into the system (EXTERNALLY-MANAGED), is left alone.
 */




const GPU_MODES = ['auto', 'cuda', 'off'];
const DEFAULT_GPU = 'auto';
/**
 * The CUDA release of the images job-packager chooses: 12.6 is a release
 * PyTorch's Linux wheels are built for (cu126), within the 12.x line, whose
 * minor-version compatibility lets it run on the older drivers NVIDIA's
 * image accepts; a newer GPU generation or an older driver may want another
 * release (`gpu: <image>`). A constant, so every package gets the same tag
 * (then pinned by digest) until it is changed here on purpose.
 */
const CUDA_VERSION = '12.6.3';
/**
 * NVIDIA's CUDA runtime images, `cudnn-runtime` flavour (the CUDA runtime
 * libraries and cuDNN, no compiler: a job runs code, it does not build CUDA
 * kernels), one per Ubuntu release, keyed by the python3 that release ships.
 * The tag is pinned by digest when packaging like any base (oci/pin.ts).
 */
const CUDA_IMAGES = [
    { python: '3.12', ubuntu: '24.04', image: `nvidia/cuda:${CUDA_VERSION}-cudnn-runtime-ubuntu24.04` },
    { python: '3.10', ubuntu: '22.04', image: `nvidia/cuda:${CUDA_VERSION}-cudnn-runtime-ubuntu22.04` }
];
/** The python3 of the Ubuntu releases a CUDA image may name in its tag (`…-ubuntu22.04`). */
const UBUNTU_PYTHON = { '20.04': '3.8', '22.04': '3.10', '24.04': '3.12' };
/** The CUDA base's Python: a virtual environment of Ubuntu's python3. */
const CUDA_PYTHON_DIR = '/opt/python';
/** Its own ENV instruction, before the installers' (see above). */
const CUDA_PYTHON_ENV = [`PATH=${CUDA_PYTHON_DIR}/bin:\${PATH}`];
const CUDA_PYTHON_PACKAGES = ['python3', 'python3-venv'];
/** How to run a GPU job; the host needs the NVIDIA driver and the NVIDIA Container Toolkit. */
const GPU_RUN = 'docker run --rm --gpus all job';
/** The job is run with GPUs: it builds on a CUDA base, or its dependencies use CUDA (whatever the base). */
function runsOnGpu(choice) {
    return choice !== undefined && (choice.selected || choice.detected.length > 0);
}
const FILES = [
    'requirements.txt',
    'pyproject.toml',
    'uv.lock',
    'poetry.lock',
    'Pipfile.lock',
    'Pipfile',
    'environment.yml',
    'environment.yaml',
    'conda-lock.yml'
];
const CUDA_PACKAGES = [
    ['torch', /(^|["'\s=[,])torch(["'\s=<>!~;[,]|$)/m],
    ['tensorflow[and-cuda]', /tensorflow\[and-cuda\]/],
    ['jax[cuda]', /jax\[cuda/],
    ['cupy', /(^|["'\s])cupy-cuda/m],
    ['nvidia CUDA wheels', /(^|["'\s])nvidia-[a-z-]+-cu1\d/m],
    ['pytorch-cuda', /pytorch-cuda/]
];
/** A torch pinned to a `+cpu` build, or installed from the CPU-only wheel index. */
const CPU_TORCH = [/(^|["'\s=[,])torch\s*(?:\[[^\]]*\])?\s*={1,3}\s*[0-9][^\s"',;]*\+cpu/m, /\/whl\/cpu\b/];
async function detectCuda(files) {
    const found = new Set();
    const cpuOnlyTorch = [];
    for (const name of FILES) {
        if (!(await files.isRegularFile(name)))
            continue;
        const text = await files.head(name, MAX_MANIFEST_BYTES);
        if (text === undefined)
            continue;
        for (const [label, re] of CUDA_PACKAGES) {
            if (!re.test(text))
                continue;
            if (label === 'torch' && CPU_TORCH.some((cpu) => cpu.test(text)))
                cpuOnlyTorch.push(name);
            else
                found.add(label);
        }
    }
    return { packages: CUDA_PACKAGES.map(([label]) => label).filter((l) => found.has(l)), cpuOnlyTorch };
}
/** The selection alone (no files, no versions), so it can be tested on its own. */
function selectGpu({ requested, detected, runtime, baseImageGiven, names = defaultNamer }) {
    if (requested === 'off')
        return { selected: false, reason: 'gpu: off' };
    const explicit = requested !== 'auto';
    if (!explicit && detected.length === 0)
        return { selected: false, reason: 'no CUDA-using packages found' };
    // An image is named in job.json's gpu.requested and as the base: the reason need not repeat it.
    const reason = requested === 'cuda' ? 'gpu: cuda' : explicit ? 'gpu: a CUDA image of the user' : `gpu: auto, for ${detected.join(', ')}`;
    const said = explicit ? names('gpu', requested) : `The dependencies use CUDA (${detected.join(', ')}) and ${names('gpu', 'auto')} is set`;
    if (runtime !== 'python') {
        const why = runtime === 'conda'
            ? 'a conda environment brings CUDA through its own packages (e.g. pytorch-cuda), on the micromamba base'
            : `the CUDA base applies to Python jobs only (this one is ${runtime === 'generic' ? 'neither Python, Node, R nor Julia' : runtime})`;
        return {
            selected: false,
            reason: why,
            message: { level: explicit ? 'warning' : 'note', text: `${said}, but no CUDA base is used: ${why}` }
        };
    }
    if (baseImageGiven)
        return {
            selected: false,
            reason: 'the base-image option wins over the GPU choice',
            message: {
                level: 'note',
                text: `${said}, but ${names('baseImage')} wins over the GPU choice: no CUDA base is chosen, and the Python installs expect python3 on the given image`
            }
        };
    return { selected: true, reason };
}
/**
 * The CUDA image for a Python job, and how its Python is installed. With
 * `gpu: cuda`/`auto` the image is the one of CUDA_IMAGES whose Ubuntu ships
 * the Python the project asks for; when none does, the nearest one the
 * project's range allows, else the nearest one, said in a note (within the
 * range) or a warning (outside it, or against an exact pin).
 */
function planCudaBase(requested, wanted, names = defaultNamer) {
    const notes = [];
    const warnings = [];
    let image;
    let ubuntu;
    let python;
    const exact = wanted.versionFrom === '.python-version' || wanted.versionFrom === 'runtime.txt';
    const range = wanted.constraint === undefined ? undefined : (parsePep440(wanted.constraint) ?? parsePoetryConstraint(wanted.constraint));
    const allows = (v) => (exact ? v === wanted.version : range ? range.allows(v) : v === wanted.version);
    if (requested === 'auto' || requested === 'cuda') {
        const pythons = CUDA_IMAGES.map((i) => i.python);
        const inRange = pythons.filter(allows);
        const version = nearest(inRange, PYTHON_VERSIONS, wanted.version) ?? nearest(pythons, PYTHON_VERSIONS, wanted.version);
        const chosen = CUDA_IMAGES.find((i) => i.python === version);
        ({ image, ubuntu, python } = chosen);
    }
    else {
        image = requested;
        ubuntu = /-ubuntu(\d{2}\.\d{2})(?:$|[^0-9])/.exec(requested.split('@')[0].split(':').at(-1) ?? '')?.[1];
        python = ubuntu === undefined ? undefined : UBUNTU_PYTHON[ubuntu];
        if (python === undefined)
            notes.push(`the CUDA base ${image} does not name an Ubuntu release job-packager knows in its tag: its python3 is installed from the image's own apt sources, at a version not known when packaging`);
    }
    if (python !== undefined && python !== wanted.version) {
        const has = `the CUDA base ${image} has Python ${python} (Ubuntu ${ubuntu}'s python3)`;
        const declared = wanted.constraint === undefined || exact ? wanted.versionFrom : `${wanted.versionFrom} ${wanted.constraint}`;
        if (wanted.versionFrom === 'default')
            notes.push(`${has}, not the default ${wanted.version}`);
        else if (allows(python))
            notes.push(`${declared} allows Python ${python}: ${has}; without a CUDA base it would be ${wanted.version}`);
        else
            warnings.push(`${declared} asks for Python ${wanted.version}, but ${has}, which it does not allow. To keep Python ${wanted.version}: ${names('gpu', 'off')} (the python:${wanted.version}-slim-bookworm base; torch's and jax's CUDA wheels work there too), or ${names('gpu', '<a CUDA image whose Ubuntu ships Python ' + wanted.version + '>')}`);
    }
    const from = ubuntu === undefined ? "the image's apt sources" : `Ubuntu ${ubuntu}'s archive`;
    return {
        image,
        python,
        ubuntu,
        step: {
            from: 'gpu',
            stage: 'system',
            copy: [],
            run: `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${CUDA_PYTHON_PACKAGES.join(' ')} && rm -rf /var/lib/apt/lists/* && python3 -m venv ${CUDA_PYTHON_DIR}`
        },
        floats: CUDA_PYTHON_PACKAGES.map((name) => ({
            kind: 'system-package',
            name,
            from: 'gpu',
            why: `the CUDA base has no Python: installed from ${from} when the image is built, at the patch release it has then`
        })),
        notes,
        warnings
    };
}
/** The note on CUDA-using packages: what they are, whether the base changed, and how to run on a GPU. */
function cudaNote(packages, selection, base) {
    const uses = `the dependencies use CUDA (${packages.join(', ')})`;
    const run = `to run on a GPU, the host needs the NVIDIA driver and the NVIDIA Container Toolkit, and the job is started with ${GPU_RUN}`;
    if (selection.selected)
        return `${uses}: the base is the CUDA runtime image ${base ?? ''}; ${run}`;
    return `${uses}: ${run} (the base image is not a CUDA image: ${selection.reason}; these packages' own wheels bring the CUDA libraries they need, where they have them)`;
}
/** Said when torch is the CPU-only build, so that leaving it out of the CUDA packages is not silent. */
function cpuTorchNote(files) {
    return `torch in ${files.join(', ')} is the CPU-only build (+cpu, or the CPU wheel index): it does not count as a CUDA package`;
}

;// CONCATENATED MODULE: ./src/core/detect/julia.ts
/**
 * Julia: Project.toml, with Manifest.toml when there is one, on the julia
 * image. With a Manifest.toml the image is Julia at the manifest's own
 * julia_version (checked to be X.Y.Z) and `Pkg.instantiate()` installs
 * exactly the manifest, from Project.toml and Manifest.toml alone, before
 * the code is copied: frozen. Without one, instantiate resolves
 * Project.toml's compat ranges at build time (floating), on DEFAULT_JULIA.
 * Packages go to a depot at /opt/julia; the job's own depot
 * (/home/job/.julia, writable) comes first on JULIA_DEPOT_PATH for what Julia
 * writes at run time.
 */




const DEFAULT_JULIA = '1.10';
/** Julia release lines with official `julia:X.Y` images, for Project.toml's [compat] julia. */
const JULIA_VERSIONS = ['1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8', '1.9', '1.10', '1.11'];
/**
 * Project.toml's `[compat] julia`: Pkg's compat syntax, a comma-separated
 * union of specifiers where a bare `1.6` and `^1.6` mean [1.6.0, 2.0.0),
 * `~1.6` means [1.6.0, 1.7.0), `=1.6.3` exactly, `>= 1.6` and `1.6 - 1.8`
 * what they say. Each is the same range in npm's syntax, which semver reads.
 */
function parseJuliaCompat(text) {
    if (text.length > 200)
        return undefined;
    const parts = text.split(',').map((p) => p.trim());
    if (parts.some((p) => p === ''))
        return undefined;
    const npm = parts.map((p) => /^\d/.test(p) && !/ - /.test(p)
        ? `^${p}`
        : p
            .replace(/^=(?=\d)/, '')
            .replace(/^≥/, '>=')
            .replace(/^≤/, '<='));
    return parseNpmRange(npm.join(' || '));
}
const JULIA_VERSION = /^1\.(\d{1,2})\.(\d{1,2})$/;
const JULIA_ENV = ['JULIA_PROJECT=/job/code', 'JULIA_DEPOT_PATH=/home/job/.julia:/opt/julia'];
/** JULIA_ENV with the project where Project.toml is: /job/code, or its configuration folder. */
function juliaEnv(files) {
    const folder = files.path('Project.toml').replace(/\/?Project\.toml$/, '');
    return folder === '' ? JULIA_ENV : [`JULIA_PROJECT=/job/code/${folder}`, JULIA_ENV[1]];
}
const INSTANTIATE = `JULIA_DEPOT_PATH=/opt/julia julia -e 'using Pkg; Pkg.instantiate(); Pkg.precompile()'`;
/** Pkg.instantiate() of the project where Project.toml is (the ENV's JULIA_PROJECT says the same for the job). */
function instantiate(files) {
    const folder = files.path('Project.toml').replace(/\/?Project\.toml$/, '');
    return folder === '' ? INSTANTIATE : `JULIA_PROJECT=/job/code/${folder} ${INSTANTIATE}`;
}
function juliaImage(version) {
    return `julia:${version}`;
}
async function detectJulia(files, report) {
    const hints = files.names.filter((n) => n.endsWith('.jl')).slice(0, 1);
    const finding = {
        env: juliaEnv(files),
        manifest: false,
        hints,
        version: DEFAULT_JULIA,
        versionFrom: 'default',
        steps: [],
        installs: [],
        floats: [],
        reasons: []
    };
    const project = await files.isRegularFile('Project.toml');
    if (files.names.includes('REQUIRE'))
        report.warnings.push(project
            ? `${files.path('REQUIRE')} (the package list of Julia before 1.0) is ignored; ${files.path('Project.toml')} is used`
            : `${files.path('REQUIRE')} (the package list of Julia before 1.0) is not installed: job-packager installs Julia 1.x packages from a Project.toml only`);
    const manifest = await files.isRegularFile('Manifest.toml');
    if (manifest && !project)
        report.warnings.push('Manifest.toml is present without a Project.toml, which Pkg needs; ignored');
    if (!project)
        return hints.length > 0 ? finding : undefined;
    finding.manifest = true;
    if (manifest) {
        const head = (await files.head('Manifest.toml', 8192)) ?? '';
        const version = /^julia_version\s*=\s*"([^"\n]{1,40})"/m.exec(head)?.[1];
        if (version && JULIA_VERSION.test(version)) {
            finding.version = version;
            finding.versionFrom = 'Manifest.toml';
        }
        else
            report.warnings.push(version
                ? `Manifest.toml's julia_version ${describeValue(version, 40)} is not a Julia 1.x.y version; using Julia ${DEFAULT_JULIA}`
                : `Manifest.toml does not name its julia_version (an old manifest format); using Julia ${DEFAULT_JULIA}`);
        finding.steps.push({
            from: files.path('Manifest.toml'),
            stage: 'before-code',
            copy: [files.path('Project.toml'), files.path('Manifest.toml')],
            run: instantiate(files)
        });
        finding.installs.push({
            ecosystem: 'julia',
            file: files.path('Manifest.toml'),
            sha256: await files.sha256('Manifest.toml'),
            installer: 'Pkg.instantiate()',
            pinning: 'locked'
        });
        finding.reasons.push('Manifest.toml: Pkg.instantiate()');
    }
    else {
        await compatVersion(files, finding, report);
        finding.steps.push({
            from: files.path('Project.toml'),
            stage: 'before-code',
            copy: [files.path('Project.toml')],
            run: instantiate(files)
        });
        finding.installs.push({
            ecosystem: 'julia',
            file: files.path('Project.toml'),
            sha256: await files.sha256('Project.toml'),
            installer: 'Pkg.instantiate()',
            pinning: 'none'
        });
        finding.floats.push({
            kind: 'unlisted-dependencies',
            ecosystem: 'julia',
            name: files.path('Project.toml'),
            from: files.path('Project.toml'),
            why: 'no Manifest.toml: Pkg resolves the compat ranges at build time'
        });
        finding.reasons.push('Project.toml without a Manifest.toml: Pkg.instantiate() resolves it');
        report.warnings.push('Project.toml without a Manifest.toml: package versions are chosen when the image is built (commit the Manifest.toml)');
    }
    return finding;
}
/** Without a Manifest.toml, [compat] julia picks the image's Julia line (DEFAULT_JULIA if allowed, else the nearest allowed). */
async function compatVersion(files, finding, report) {
    const status = await files.read('Project.toml');
    if (status.state !== 'ok')
        return;
    const text = readTomlSummary(status.text)?.strings.get('compat.julia');
    if (text === undefined)
        return;
    const range = parseJuliaCompat(text.trim());
    const at = files.path('Project.toml');
    if (!range) {
        report.warnings.push(`${at}'s [compat] julia ${describeValue(text, 60)} is not a compat range this tool understands; using Julia ${DEFAULT_JULIA}`);
        return;
    }
    const version = nearest(JULIA_VERSIONS.filter((v) => range.allows(v)), JULIA_VERSIONS, DEFAULT_JULIA);
    if (!version) {
        report.warnings.push(`${at}'s [compat] julia ${describeValue(text, 60)} allows none of the Julia versions with an image here (${JULIA_VERSIONS.join(', ')}); using Julia ${DEFAULT_JULIA}`);
        return;
    }
    finding.version = version;
    finding.versionFrom = `${at} [compat] julia`;
}

;// CONCATENATED MODULE: ./src/core/detect/node.ts
/**
 * Node: which package manager installs the dependencies, and which Node to
 * base the image on.
 *
 * Manifest (strong signal): package.json. Lockfiles pick the installer: the
 * one named by package.json's `packageManager` if its lockfile is there,
 * else the first of npm-shrinkwrap.json / package-lock.json (`npm ci`),
 * pnpm-lock.yaml (`pnpm install --frozen-lockfile`), yarn.lock (`yarn install
 * --frozen-lockfile`, or `--immutable` for Yarn 2+), bun.lock / bun.lockb
 * (Bun, at the version packageManager names or BUN_VERSION, installed from
 * the npm registry, then `bun install --frozen-lockfile`). Without a lockfile,
 * `npm install` runs when dependencies are declared (with a warning: the
 * versions are then resolved at build time). Hints, used only when no
 * language has a manifest: .nvmrc, .node-version, a *.js/*.mjs/*.cjs file at
 * the top level.
 *
 * Version, first that applies: .nvmrc, .node-version (a major version, or an
 * nvm alias: an LTS code name, or `lts/*` and the like, which is fixed to the
 * newest LTS line with a note), engines.node (the default 22 if allowed, else
 * the allowed LTS line nearest to it, else the nearest allowed line), else 22.
 * A pin is read by a pattern rather than by semver: it is nvm's syntax (one
 * version or an alias), not a range. Only majors from NODE_VERSIONS ever reach
 * the Dockerfile.
 */




/** Majors with official `node:NN-bookworm-slim` images. */
const NODE_VERSIONS = ['18', '19', '20', '21', '22', '23', '24', '25'];
const LTS_LINES = ['18', '20', '22', '24'];
const DEFAULT_NODE = '22';
const LTS_NAMES = { hydrogen: '18', iron: '20', jod: '22', krypton: '24' };
/** nvm aliases for "the newest" (LTS or not), all taken as the newest LTS line in NODE_VERSIONS. */
const MOVING_ALIASES = ['lts/*', 'lts', 'node', 'stable', 'latest'];
function nodeImage(version) {
    return `node:${version}-bookworm-slim`;
}
/**
 * Bun for a bun.lock whose package.json names no `bun@X.Y.Z`: fixed, so the
 * package builds the same later (a note says it was chosen here). Bun comes
 * from the npm registry (the `bun` package and its platform binary), which a
 * Node build can already reach for its dependencies.
 */
const BUN_VERSION = '1.4.5';
const LOCKFILES = [
    { file: 'npm-shrinkwrap.json', manager: 'npm' },
    { file: 'package-lock.json', manager: 'npm' },
    { file: 'pnpm-lock.yaml', manager: 'pnpm' },
    { file: 'yarn.lock', manager: 'yarn' },
    // bun.lock is Bun's text lock (1.2 and later), bun.lockb the binary one before it; both install with --frozen-lockfile.
    { file: 'bun.lock', manager: 'bun' },
    { file: 'bun.lockb', manager: 'bun' }
];
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];
async function detectNode(files, report) {
    const hints = [];
    let pkg;
    const pkgFile = await files.read('package.json');
    if (pkgFile.state === 'ok') {
        try {
            const parsed = JSON.parse(pkgFile.text);
            if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
                pkg = parsed;
            else
                report.warnings.push('package.json is not a JSON object; ignored');
        }
        catch {
            report.warnings.push('package.json is not valid JSON; ignored');
        }
    }
    else if (pkgFile.state !== 'missing')
        report.warnings.push(describeUnreadable('package.json', pkgFile));
    // Version pins.
    let pinned;
    for (const name of ['.nvmrc', '.node-version']) {
        const status = await files.read(name, 4096);
        if (status.state === 'missing')
            continue;
        if (status.state !== 'ok') {
            report.warnings.push(describeUnreadable(name, status, 4096));
            continue;
        }
        hints.push(name);
        const line = status.text
            .split(/\r?\n/)
            .map((l) => l.replace(/#.*/, '').trim())
            .find((l) => l !== '') ?? '';
        const version = nodeMajorFromPin(line);
        if (!version)
            report.warnings.push(`${name} asks for ${describeValue(line, 60)}, which is not a Node version with an official image (${NODE_VERSIONS.join(', ')}); ignored`);
        else if (!pinned) {
            pinned = { version, from: name };
            // These aliases name a newer release as time goes on; the archive must build the same later, so it gets one fixed line.
            if (MOVING_ALIASES.includes(line.toLowerCase()))
                report.notes.push(`${name} asks for ${describeValue(line, 60)}, whose meaning changes as Node is released; using Node ${version}, the newest long-term-support line with an image here`);
        }
        else if (pinned.version !== version)
            report.notes.push(`${name} asks for Node ${version}; ${pinned.from} (${pinned.version}) comes first`);
    }
    for (const name of files.names) {
        if (/\.(js|mjs|cjs)$/.test(name) && (await files.isRegularFile(name))) {
            hints.push(name);
            break;
        }
    }
    if (!pkg && hints.length === 0)
        return undefined;
    let range;
    const engines = pkg?.engines;
    const enginesNode = engines && typeof engines === 'object' ? engines.node : undefined;
    if (typeof enginesNode === 'string') {
        const parsed = parseNpmRange(enginesNode.trim());
        if (parsed)
            range = { text: enginesNode, range: parsed };
        else
            report.warnings.push(`engines.node ${describeValue(enginesNode, 80)} is not a version range this tool understands; ignored`);
    }
    let version;
    let versionFrom;
    if (pinned) {
        version = pinned.version;
        versionFrom = pinned.from;
        if (range && !range.range.allows(version))
            report.warnings.push(`Node ${version} from ${pinned.from} is outside engines.node ${describeValue(range.text, 80)}; using ${version}`);
    }
    else if (range) {
        const allowed = NODE_VERSIONS.filter((v) => range.range.allows(v));
        // Long-term-support lines first: a range like ">=23" should not land on a short-lived odd release when 24 is allowed.
        const chosen = nearest(allowed.filter((v) => LTS_LINES.includes(v)), NODE_VERSIONS, DEFAULT_NODE) ?? nearest(allowed, NODE_VERSIONS, DEFAULT_NODE);
        if (chosen) {
            version = chosen;
            versionFrom = 'engines.node';
        }
        else {
            report.warnings.push(`engines.node ${describeValue(range.text, 80)} allows none of the Node versions with an official image (${NODE_VERSIONS.join(', ')}); using ${DEFAULT_NODE}`);
            version = DEFAULT_NODE;
            versionFrom = 'default';
        }
    }
    else {
        version = DEFAULT_NODE;
        versionFrom = 'default';
    }
    const finding = { manifest: pkg !== undefined, hints, version, versionFrom, constraint: range?.text };
    if (pkg)
        finding.install = await chooseInstall(files, pkg, report);
    return finding;
}
/** `20`, `v20.11.1`, `20.x`, `lts/iron`, `lts/*`, `node` → a major we have an image for. */
function nodeMajorFromPin(text) {
    const t = text.trim().toLowerCase();
    if (MOVING_ALIASES.includes(t))
        return LTS_LINES.at(-1);
    const lts = /^lts\/([a-z]+)$/.exec(t);
    if (lts)
        return LTS_NAMES[lts[1]];
    const m = /^v?(\d{1,3})(?:\.(?:\d+|x))?(?:\.(?:\d+|x))?$/.exec(t);
    if (!m)
        return undefined;
    return NODE_VERSIONS.includes(m[1]) ? m[1] : undefined;
}
async function chooseInstall(files, pkg, report) {
    const present = [];
    for (const lock of LOCKFILES) {
        if (await files.isRegularFile(lock.file))
            present.push(lock);
        else if (files.names.includes(lock.file))
            report.warnings.push(`${lock.file} is not a regular file (a symbolic link or a folder); ignored`);
    }
    const declared = typeof pkg.packageManager === 'string' ? /^(npm|pnpm|yarn|bun)@(\d+)/.exec(pkg.packageManager) : null;
    let lock = declared ? present.find((l) => l.manager === declared[1]) : undefined;
    if (declared && !lock && present.length > 0)
        report.notes.push(`packageManager names ${declared[1]}, but its lockfile is not in the repository; using ${present[0].file}`);
    lock ??= present[0];
    for (const other of present)
        if (other !== lock)
            report.notes.push(`${other.file} is also present; ${lock.file} is used`);
    const depEntries = ['dependencies', 'devDependencies', 'optionalDependencies'].flatMap((k) => {
        const v = pkg[k];
        return v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v) : [];
    });
    const deps = depEntries.map(([, v]) => v);
    if (!lock) {
        if (deps.length === 0) {
            report.notes.push('package.json declares no dependencies: nothing to install');
            return undefined;
        }
        report.warnings.push('package.json has dependencies but no lockfile: npm install resolves their versions at build time, so two builds may differ (commit a package-lock.json for npm ci)');
    }
    let manager = lock?.manager ?? 'npm';
    if (manager === 'yarn') {
        const head = (await files.head('yarn.lock', 4096)) ?? '';
        if ((declared?.[1] === 'yarn' && Number(declared[2]) >= 2) || /^__metadata:/m.test(head))
            manager = 'yarn-berry';
    }
    // The install can run before the code is copied (and its layer be reused
    // when only the code changes) unless it needs more of the tree than the
    // manifests: install scripts, workspaces, local packages, Yarn 2+'s .yarn/.
    const scripts = pkg.scripts && typeof pkg.scripts === 'object' ? Object.keys(pkg.scripts) : [];
    const hooks = INSTALL_SCRIPTS.filter((s) => scripts.includes(s));
    let afterCodeBecause;
    if (manager === 'yarn-berry')
        afterCodeBecause = 'Yarn 2+ reads .yarnrc.yml and .yarn/ from the repository';
    else if (hooks.length > 0)
        afterCodeBecause = `package.json has install scripts (${hooks.join(', ')})`;
    else if (pkg.workspaces !== undefined || files.names.includes('pnpm-workspace.yaml'))
        afterCodeBecause = 'the project uses workspaces';
    else if (deps.some((d) => typeof d === 'string' && /^(file:|link:|workspace:|portal:|\.{0,2}\/)/.test(d)))
        afterCodeBecause = 'package.json refers to local packages';
    const manifests = ['package.json'];
    if (lock)
        manifests.push(lock.file);
    const rc = manager === 'yarn' ? ['.npmrc', '.yarnrc'] : manager === 'bun' ? ['.npmrc', 'bunfig.toml'] : ['.npmrc'];
    for (const f of rc)
        if (await files.isRegularFile(f))
            manifests.push(f);
    let toolVersion;
    if (manager === 'bun') {
        const exact = typeof pkg.packageManager === 'string' ? /^bun@(\d+\.\d+\.\d+)$/.exec(pkg.packageManager.split('+')[0]) : null;
        toolVersion = exact?.[1] ?? BUN_VERSION;
        if (!exact)
            report.notes.push(`package.json's packageManager does not name an exact Bun version (bun@X.Y.Z); Bun ${BUN_VERSION} installs ${lock.file}`);
    }
    return {
        manager,
        lockfile: lock?.file,
        files: manifests,
        stage: afterCodeBecause ? 'after-code' : 'before-code',
        afterCodeBecause,
        ...(lock ? {} : { unlocked: [...new Set(depEntries.map(([name]) => name))] }),
        ...(toolVersion ? { toolVersion } : {})
    };
}
function nodeInstallCommand(manager, locked, toolVersion = BUN_VERSION) {
    switch (manager) {
        case 'bun':
            // Bun stays in the image: the job's command may well be `bun run …`.
            return `npm install --global --no-audit --no-fund bun@${toolVersion} && bun install --frozen-lockfile && npm cache clean --force`;
        case 'pnpm':
            return 'COREPACK_ENABLE_DOWNLOAD_PROMPT=0 corepack enable pnpm && pnpm install --frozen-lockfile';
        case 'yarn':
            return 'yarn install --frozen-lockfile --non-interactive && yarn cache clean';
        case 'yarn-berry':
            return 'COREPACK_ENABLE_DOWNLOAD_PROMPT=0 corepack enable yarn && yarn install --immutable';
        default:
            return `${locked ? 'npm ci' : 'npm install'} --no-audit --no-fund && npm cache clean --force`;
    }
}
/** The install step, the file used and what floats, for the Dockerfile and the frozen report. */
async function nodeInstallPlan(install, files) {
    const file = install.lockfile ?? 'package.json';
    const run = nodeInstallCommand(install.manager, install.lockfile !== undefined, install.toolVersion);
    return {
        steps: [{ from: file, stage: install.stage, copy: install.stage === 'before-code' ? install.files : [], run }],
        installs: [
            {
                ecosystem: 'node',
                file,
                sha256: await files.sha256(file),
                installer: install.manager === 'bun'
                    ? `bun ${install.toolVersion ?? BUN_VERSION}: bun install --frozen-lockfile`
                    : (run.split(' && ').find((c) => /^(npm|pnpm|yarn) /.test(c)) ?? run),
                pinning: install.lockfile ? 'locked' : 'none'
            }
        ],
        floats: (install.unlocked ?? []).map((name) => ({
            kind: 'requirement',
            ecosystem: 'node',
            name,
            from: 'package.json',
            why: 'no lockfile: npm install chooses the version at build time'
        }))
    };
}

;// CONCATENATED MODULE: ./src/core/detect/r.ts
/**
 * R: renv.lock, else DESCRIPTION, else install.R, on a rocker/r-ver image.
 *
 * - renv.lock: the image is rocker/r-ver at the lock's own R version
 *   (R.Version, checked to be X.Y.Z), and `renv::restore()` installs every
 *   locked package at its locked version into the image's site library, from
 *   renv.lock alone, before the code is copied. Frozen.
 * - DESCRIPTION: `remotes::install_deps()` from DESCRIPTION alone; install.R:
 *   `Rscript install.R` from install.R alone. Versions come from whatever
 *   repository the base image is set up with (rocker/r-ver uses a dated
 *   snapshot for its R version), so they are reported as floating.
 * Without a renv.lock the R version is DEFAULT_R.
 */


const DEFAULT_R = '4.4.2';
/**
 * A dated package snapshot server's URL with `{date}` where runtime.txt's
 * date goes (the r-snapshot-url option; no server is built in). Only a strict
 * character set, so it can be written into the Dockerfile's RUN line as is.
 */
const SNAPSHOT_URL = /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?\/[A-Za-z0-9._~%+/-]*\{date\}[A-Za-z0-9._~%+/-]*$/;
const SNAPSHOT_URL_ACCEPTED = 'an http(s) URL with {date} where the snapshot date goes, e.g. https://<snapshot server>/cran/{date}';
function parseSnapshotUrl(text) {
    if (!SNAPSHOT_URL.test(text) || text.split('{date}').length !== 2)
        throw new Error(`is not ${SNAPSHOT_URL_ACCEPTED} (letters, digits and ._~%+/- only)`);
    return text;
}
const R_VERSION = /^(\d)\.(\d{1,2})\.(\d{1,2})$/;
function rImage(version) {
    return `rocker/r-ver:${version}`;
}
/**
 * runtime.txt's R forms: r-X.Y[.Z], r-X.Y[.Z]-YYYY-MM-DD, r-YYYY-MM-DD. The
 * version picks the rocker/r-ver tag (X.Y.Z, or the X.Y line); the date is
 * the package snapshot the repository asks for (see detectR).
 */
function parseRRuntime(line) {
    const m = /^r-(?:(\d\.\d{1,2}(?:\.\d{1,2})?)(?:-(\d{4}-\d{2}-\d{2}))?|(\d{4}-\d{2}-\d{2}))$/.exec(line);
    if (!m)
        return undefined;
    return { ...(m[1] ? { version: m[1] } : {}), ...((m[2] ?? m[3]) ? { date: m[2] ?? m[3] } : {}) };
}
async function detectR(files, report, snapshotUrl) {
    const hints = files.names.filter((n) => /\.[Rr]$/.test(n) && n !== 'install.R').slice(0, 1);
    const runtimeAt = files.path('runtime.txt');
    const runtimeText = await files.read('runtime.txt', 4096);
    const line = runtimeText.state === 'ok' ? (runtimeText.text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').trim() : '';
    const runtime = /^r-/.test(line) ? parseRRuntime(line) : undefined;
    if (/^r-/.test(line)) {
        hints.push(runtimeAt);
        if (!runtime)
            report.warnings.push(`${runtimeAt} ${describeValue(line, 60)} is not an R runtime this tool reads (r-X.Y.Z, r-X.Y.Z-YYYY-MM-DD or r-YYYY-MM-DD); ignored`);
    }
    const finding = {
        manifest: false,
        hints,
        version: runtime?.version ?? DEFAULT_R,
        versionFrom: runtime?.version ? runtimeAt : 'default',
        steps: [],
        installs: [],
        floats: [],
        reasons: []
    };
    if (runtime?.date && snapshotUrl) {
        const url = snapshotUrl.replace('{date}', runtime.date);
        // Rprofile.site is read by every R session: the installs below, and the job's own.
        finding.steps.push({
            from: runtimeAt,
            stage: 'system',
            copy: [],
            run: `echo 'options(repos = c(CRAN = "${url}"))' >> "$(R RHOME)/etc/Rprofile.site"`
        });
        finding.reasons.push(`${runtimeAt}: R packages from the snapshot of ${runtime.date} (r-snapshot-url)`);
        report.notes.push(`${runtimeAt} asks for the R package snapshot of ${runtime.date}: R's CRAN repository is ${url} (r-snapshot-url)`);
    }
    else if (runtime?.date)
        report.warnings.push(`${runtimeAt} asks for the R package snapshot of ${runtime.date}; it is not applied: R packages come from the base image's package repository (rocker/r-ver's, a snapshot fixed per R version), so install.R and DESCRIPTION install what that repository has (set r-snapshot-url to a snapshot server to apply it)`);
    const lock = await files.read('renv.lock', 16 * 1024 * 1024);
    if (lock.state === 'ok') {
        let version;
        let parsed = false;
        try {
            version = JSON.parse(lock.text)?.R?.Version;
            parsed = true;
        }
        catch {
            report.warnings.push('renv.lock is not valid JSON; ignored');
        }
        if (parsed) {
            if (typeof version === 'string' && R_VERSION.test(version) && Number(version[0]) >= 3) {
                if (runtime?.version && runtime.version !== version)
                    report.notes.push(`${runtimeAt} asks for R ${runtime.version}; renv.lock (${version}) comes first`);
                finding.version = version;
                finding.versionFrom = 'renv.lock';
            }
            else
                report.warnings.push(`renv.lock's R.Version ${describeValue(String(version), 40)} is not an R version (X.Y.Z); using R ${DEFAULT_R}`);
            finding.manifest = true;
            finding.steps.push({
                from: 'renv.lock',
                stage: 'before-code',
                copy: ['renv.lock'],
                run: `Rscript -e 'install.packages("renv")' -e 'renv::restore(lockfile = "renv.lock", library = .libPaths()[1], prompt = FALSE)'`
            });
            finding.installs.push({
                ecosystem: 'r',
                file: 'renv.lock',
                sha256: await files.sha256('renv.lock'),
                installer: 'renv::restore()',
                pinning: 'locked'
            });
            finding.reasons.push('renv.lock: renv::restore()');
            report.notes.push("renv itself is installed from the base image's package repository before restore; restore then installs the lock's own renv if it lists one");
            for (const other of ['DESCRIPTION', 'install.R'])
                if (await files.isRegularFile(other))
                    report.notes.push(`${other} is also present; renv.lock is used`);
            return finding;
        }
    }
    else if (lock.state !== 'missing')
        report.warnings.push(describeUnreadable('renv.lock', lock, 16 * 1024 * 1024));
    for (const [file, run, phrase] of [
        [
            'DESCRIPTION',
            `Rscript -e 'install.packages("remotes")' -e 'remotes::install_deps(dependencies = TRUE, upgrade = "never")'`,
            'DESCRIPTION: remotes::install_deps()'
        ],
        ['install.R', 'Rscript install.R', 'install.R: Rscript install.R']
    ]) {
        if (!(await files.isRegularFile(file)))
            continue;
        if (finding.manifest) {
            report.notes.push(`${file} is also present; ${finding.steps[0].from} is used`);
            continue;
        }
        finding.manifest = true;
        const at = files.path(file);
        finding.steps.push({ from: at, stage: 'before-code', copy: [at], run: file === 'install.R' ? `Rscript ${at}` : run });
        finding.installs.push({
            ecosystem: 'r',
            file: at,
            sha256: await files.sha256(file),
            installer: file === 'install.R' ? 'Rscript install.R' : 'remotes::install_deps()',
            pinning: 'none'
        });
        finding.floats.push({
            kind: 'unlisted-dependencies',
            ecosystem: 'r',
            name: at,
            from: at,
            why: "no renv.lock: package versions come from the base image's package repository at build time"
        });
        finding.reasons.push(file === 'install.R' ? `${at}: Rscript ${at}` : phrase);
        // DESCRIPTION describes a package: once the code is there, the package itself is installed too.
        if (file === 'DESCRIPTION') {
            finding.steps.push({ from: at, stage: 'after-code', copy: [], run: 'R CMD INSTALL .' });
            finding.reasons.push('DESCRIPTION: the package itself is installed (R CMD INSTALL .)');
        }
        report.warnings.push(`${at} without a renv.lock: R package versions are chosen when the image is built (commit a renv.lock: renv::snapshot())`);
    }
    return finding.manifest || hints.length > 0 ? finding : undefined;
}

;// CONCATENATED MODULE: ./src/core/detect/report.ts
function newReport() {
    return { notes: [], warnings: [] };
}

;// CONCATENATED MODULE: ./src/core/detect/frozen.ts
function frozenReport(installs, floats, extra = []) {
    // Names may be repository text (a requirement, a conda spec): printable, one line, bounded, wherever they are shown.
    const all = [...floats, ...extra].map((f) => ({ ...f, name: printable(f.name) }));
    let verdict = 'frozen';
    if (all.length > 0)
        verdict = installs.some((i) => i.ecosystem !== 'debian' && i.pinning === 'none') ? 'not' : 'partly';
    return { verdict, ecosystems: installs, floats: all };
}
/** One line for logs and the CLI: "partly frozen: 2 things float (python requirement flask; base image python:3.12-slim)". */
function describeFrozen(report, max = 5) {
    const head = report.verdict === 'frozen'
        ? 'frozen: nothing floats'
        : `${report.verdict === 'not' ? 'not frozen' : 'partly frozen'}: ${report.floats.length} thing${report.floats.length === 1 ? '' : 's'} float${report.floats.length === 1 ? 's' : ''}`;
    if (report.floats.length === 0)
        return head;
    const shown = report.floats.slice(0, max).map(describeFloat);
    const more = report.floats.length > max ? `, and ${report.floats.length - max} more (job.json)` : '';
    return `${head} (${shown.join('; ')}${more})`;
}
function describeFloat(f) {
    switch (f.kind) {
        case 'requirement':
            return `${f.ecosystem ?? ''} requirement ${f.name}${f.from ? ` in ${f.from}` : ''}`.trim();
        case 'unlisted-dependencies':
            return `dependencies not listed in ${f.name}`;
        case 'system-package':
            // apt.txt's are Debian packages; the CUDA base's python3 comes from Ubuntu's archive.
            return f.ecosystem === 'debian' ? `Debian package ${f.name}` : `system package ${f.name}${f.from === 'gpu' ? ' (the CUDA base)' : ''}`;
        case 'base-image':
            return `base image ${f.name}`;
        default:
            return f.name;
    }
}
function printable(text) {
    // eslint-disable-next-line no-control-regex -- control characters are what is replaced
    const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
    return clean.length > 100 ? `${clean.slice(0, 100)}…` : clean;
}

;// CONCATENATED MODULE: ./src/core/detect/index.ts
/**
 * Environment detection: what image the checked-out code needs, and why.
 *
 * Pure with respect to the rest of the packager: it reads a handful of
 * top-level files in code/ (lstat first, never through a symlink, each
 * under a size cap; see files.ts) and returns a plain description that the
 * Dockerfile renderer and the manifest both use. Nothing it returns for the
 * Dockerfile is free text from the repository: versions come from our own
 * lists, file names are our fixed names, apt packages are validated.
 *
 * The order, as documented in docs/CONTAINER.md:
 *   1. the repository's own Dockerfile, when the caller asks for it
 *      (use-repo-dockerfile) and code/Dockerfile is a regular file;
 *   2. Python, when pyproject.toml ([project]/[build-system]),
 *      requirements*.txt, setup.py, a lockfile (uv.lock, poetry.lock,
 *      Pipfile.lock) or a conda file is there; which installer runs is
 *      python/index.ts's order (the most frozen file wins);
 *   3. Node, when package.json is there;
 *   4. R, when renv.lock, DESCRIPTION or install.R is there;
 *   5. Julia, when Project.toml is there;
 *   6. Python, Node, R, then Julia from hints only (.python-version,
 *      runtime.txt, a top-level *.py; .nvmrc, .node-version, *.js; *.R; *.jl);
 *   7. otherwise a generic Debian base with a shell.
 *   apt.txt adds Debian packages to any of 2–7.
   With a binder/ or .binder/ folder, 2–7 read the environment files from
   the folder and ignore (and name) the root's (binder.ts); postBuild and
   start, from the folder or the root, run last in the build (as the job's
   user) and around the command (run.sh).
 *   A pip-installed Python job whose dependencies use CUDA (or any Python
 *   job, with gpu: cuda) builds on a CUDA runtime image instead (gpu.ts).
 * Besides the steps, every detector says which file it installed from and
 * what still floats (install.ts); frozen.ts turns that into the verdict.
 * A base-image option wins over the detected base image, the CUDA one
 * included (the packager applies it); `ARG BASE_IMAGE` keeps it
 * overridable at build time.
 */
















const GENERIC_BASE_IMAGE = 'debian:bookworm-slim';
async function detectEnvironment(codeDir, options = {}) {
    const root = await openCodeFiles(codeDir);
    const report = newReport();
    const gpu = options.gpu ?? DEFAULT_GPU;
    const names = options.names ?? defaultNamer;
    const nothing = { aptPackages: [], install: [], installs: [], floats: [], env: [] };
    // 1. The repository's own Dockerfile.
    const ownDockerfile = root.names.includes('Dockerfile');
    const ownIsFile = ownDockerfile && (await root.isRegularFile('Dockerfile'));
    if (options.useRepoDockerfile) {
        if (ownIsFile) {
            const folders = CONFIG_FOLDERS.filter((f) => root.names.includes(f));
            return {
                dockerfile: 'repository',
                runtime: 'generic',
                ...nothing,
                reasons: ["the repository's own Dockerfile (use-repo-dockerfile), build context code/"],
                notes: [
                    "nothing else is detected or installed: the repository's Dockerfile decides the environment, so job-packager cannot tell what in it floats",
                    ...folders.map((f) => `${f}/ is not read: use-repo-dockerfile builds code/Dockerfile as asked, although the specification would read the configuration folder instead`)
                ],
                warnings: []
            };
        }
        report.warnings.push(ownDockerfile
            ? 'use-repo-dockerfile is set, but code/Dockerfile is not a regular file (a symbolic link or a folder); a Dockerfile was generated instead'
            : 'use-repo-dockerfile is set, but the repository has no Dockerfile at its root; a Dockerfile was generated instead');
    }
    else if (ownIsFile) {
        report.notes.push('the repository has its own Dockerfile (code/Dockerfile); it is not used unless use-repo-dockerfile is set');
    }
    // A configuration folder (binder/, .binder/) holds the environment files; the root's are then ignored, and named.
    const view = await configurationView(codeDir, root, report);
    const files = view.files;
    const scripts = await detectScripts(files, codeDir, report);
    // 2–6. Languages. Every detector runs, so that what it saw is reported even when another language wins.
    const python = await detectPython(files, report);
    const node = await detectNode(files, report);
    const r = await detectR(files, report, options.rSnapshotUrl);
    const julia = await detectJulia(files, report);
    const apt = await detectApt(files, report);
    // The files each language's manifest came from, so the one that loses names them.
    const manifestFiles = async (names) => {
        const present = [];
        for (const name of names)
            if (await files.isRegularFile(name))
                present.push(files.path(name));
        return present;
    };
    const found = [
        { runtime: 'python', finding: python, label: 'Python', files: [] },
        { runtime: 'node', finding: node, label: 'Node', files: await manifestFiles(['package.json']) },
        { runtime: 'r', finding: r, label: 'R', files: await manifestFiles(['renv.lock', 'DESCRIPTION', 'install.R']) },
        { runtime: 'julia', finding: julia, label: 'Julia', files: await manifestFiles(['Project.toml', 'Manifest.toml']) }
    ];
    const winner = found.find((f) => f.finding?.manifest) ?? found.find((f) => f.finding);
    for (const other of found)
        if (other !== winner && other.finding?.manifest)
            report.notes.push(`${other.label} manifests${other.files.length > 0 ? ` (${other.files.join(', ')})` : ''} are also present; ${winner.label} comes first in the detection order, so ${other.label} and its dependencies are not installed`);
    if (winner)
        for (const other of found)
            if (other !== winner && other.finding && !other.finding.manifest && other.finding.hints.length > 0)
                report.notes.push(`${other.label} hints (${other.finding.hints.map((h) => describeValue(h, 60)).join(', ')}) are also present; ${winner.label} comes first`);
    const reasons = [];
    const env = {
        dockerfile: 'generated',
        runtime: winner?.runtime ?? 'generic',
        ...nothing,
        aptPackages: apt ?? [],
        reasons,
        notes: report.notes,
        warnings: report.warnings
    };
    const aptPlan = await aptInstallPlan(apt ?? [], files);
    const add = (plan) => {
        env.install.push(...plan.steps);
        env.installs.push(...plan.installs);
        env.floats.push(...plan.floats);
    };
    add(aptPlan);
    const setVersion = (f, name) => {
        Object.assign(env, { version: f.version, versionFrom: f.versionFrom });
        if (f.constraint !== undefined)
            env.constraint = f.constraint;
        reasons.push(versionPhrase(name, f.version, f.versionFrom));
    };
    if (env.runtime === 'python' && python) {
        const plan = await planPython({ files, report, pyproject: python.pyproject, project: python.project });
        const cuda = await detectCuda(files);
        if (cuda.cpuOnlyTorch.length > 0)
            report.notes.push(cpuTorchNote(cuda.cpuOnlyTorch));
        const selection = selectGpu({
            requested: gpu,
            detected: cuda.packages,
            runtime: plan.runtime ?? 'python',
            baseImageGiven: options.baseImageGiven === true,
            names
        });
        env.gpu = { requested: gpu, detected: cuda.packages, selected: false, reason: selection.reason };
        const cudaBase = selection.selected ? planCudaBase(gpu, python, names) : undefined;
        // The base's Python comes first, before apt.txt's packages too: the installers' steps need it.
        if (cudaBase) {
            env.install.unshift(cudaBase.step);
            env.floats.unshift(...cudaBase.floats);
        }
        add(plan);
        env.env.push(...plan.env);
        if (plan.runtime === 'conda') {
            env.runtime = 'conda';
            env.baseImage = plan.baseImage;
            env.asRoot = plan.asRoot;
            reasons.push(`conda via micromamba (${plan.baseImage})`);
            if (python.versionFrom !== 'default')
                report.notes.push(`${python.versionFrom} asks for Python ${python.version}; the conda environment decides which Python is installed`);
        }
        else if (cudaBase) {
            env.baseImage = cudaBase.image;
            env.baseEnv = CUDA_PYTHON_ENV;
            env.gpu = {
                requested: gpu,
                detected: cuda.packages,
                selected: true,
                base: cudaBase.image,
                ...(cudaBase.python ? { python: cudaBase.python } : {}),
                reason: selection.reason
            };
            const ubuntu = cudaBase.ubuntu ? `Ubuntu ${cudaBase.ubuntu}'s python3` : "the image's python3";
            if (cudaBase.python === python.version)
                setVersion(python, 'python');
            else if (cudaBase.python !== undefined) {
                setVersion({ version: cudaBase.python, versionFrom: 'the CUDA base', constraint: python.constraint }, 'python');
            }
            else {
                if (python.constraint !== undefined)
                    env.constraint = python.constraint;
                reasons.push("python: the CUDA base's python3 (its version is not known when packaging)");
            }
            reasons.push(`CUDA runtime base ${cudaBase.image} (${selection.reason}), ${ubuntu} in a virtual environment`);
            report.notes.push(...cudaBase.notes);
            report.warnings.push(...cudaBase.warnings);
        }
        else {
            env.baseImage = pythonImage(python.version);
            setVersion(python, 'python');
        }
        reasons.push(...plan.reasons);
        if (!python.manifest)
            reasons.push('no dependency manifest');
        if (selection.message)
            (selection.message.level === 'warning' ? report.warnings : report.notes).push(selection.message.text);
        if (cuda.packages.length > 0)
            report.notes.push(cudaNote(cuda.packages, selection, env.gpu.base));
    }
    else if (env.runtime === 'node' && node) {
        env.baseImage = nodeImage(node.version);
        setVersion(node, 'node');
        const install = node.install;
        env.node = install;
        if (install) {
            add(await nodeInstallPlan(install, files));
            const what = install.lockfile
                ? `${install.lockfile}: ${installName(install.manager, true)}`
                : `package.json without a lockfile: ${installName(install.manager, false)}`;
            reasons.push(install.stage === 'after-code' ? `${what} (after the code: ${install.afterCodeBecause})` : what);
        }
        else if (node.manifest)
            reasons.push('package.json declares no dependencies');
        else
            reasons.push('no package.json');
    }
    else if (env.runtime === 'r' && r) {
        env.baseImage = rImage(r.version);
        setVersion(r, 'R');
        add(r);
        reasons.push(...(r.manifest ? r.reasons : ['no renv.lock, DESCRIPTION or install.R']));
    }
    else if (env.runtime === 'julia' && julia) {
        env.baseImage = juliaImage(julia.version);
        setVersion(julia, 'julia');
        add(julia);
        env.env.push(...julia.env);
        reasons.push(...(julia.manifest ? julia.reasons : ['no Project.toml']));
    }
    else {
        env.baseImage = GENERIC_BASE_IMAGE;
        reasons.push('no Python, Node, R or Julia project found: generic Debian base');
    }
    if (env.gpu === undefined) {
        // Only a Python job gets a CUDA base; asked for one elsewhere, the user hears why not.
        const selection = selectGpu({
            requested: gpu,
            detected: [],
            runtime: env.runtime,
            baseImageGiven: options.baseImageGiven === true,
            names
        });
        env.gpu = { requested: gpu, detected: [], selected: false, reason: selection.reason };
        if (selection.message)
            (selection.message.level === 'warning' ? report.warnings : report.notes).push(selection.message.text);
    }
    if (apt !== undefined)
        reasons.push(`${files.path('apt.txt')}: ${apt.length} package${apt.length === 1 ? '' : 's'}`);
    if (view.folder) {
        env.configFolder = view.folder;
        reasons.unshift(`environment files from ${view.folder}/`);
    }
    env.install.push(...scripts.steps);
    reasons.push(...scripts.reasons);
    if (scripts.start)
        env.start = scripts.start;
    return env;
}
function versionPhrase(runtime, version, from) {
    return from === 'default' ? `${runtime} ${version} (default version)` : `${runtime} ${version} from ${from}`;
}
function installName(manager, locked) {
    switch (manager) {
        case 'pnpm':
            return 'pnpm install --frozen-lockfile';
        case 'yarn':
            return 'yarn install --frozen-lockfile';
        case 'yarn-berry':
            return 'yarn install --immutable';
        case 'bun':
            return 'bun install --frozen-lockfile';
        default:
            return locked ? 'npm ci' : 'npm install';
    }
}
/** One line for logs and job.json: "python 3.12 from requires-python; requirements.txt". */
function summarizeEnvironment(env) {
    return env.reasons.join('; ');
}

;// CONCATENATED MODULE: external "node:stream/promises"
const external_node_stream_promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream/promises");
;// CONCATENATED MODULE: ./src/core/download/dataset-cache.ts
/**
 * A store of datasets by sha256, so a repeated job with a pinned digest skips
 * the download. The core only knows this interface; the Action backs it with
 * the Actions cache service or the runner's tool cache (src/action/), the CLI
 * with a plain folder (`--cache-dir`).
 *
 * What a store is trusted with, and what not (docs/SECURITY.md, "Dataset
 * caches"): a store may be shared with whoever else can write to it (other
 * users of a folder, other jobs of a self-hosted runner, any workflow of the
 * repository for the Actions cache), so
 *
 * - its bytes are never trusted: the core re-hashes whatever `restore` wrote
 *   before using it (download/datasets.ts), and a mismatch costs a download,
 *   never a wrong dataset;
 * - its entries are never trusted either: an entry must be one regular file,
 *   read without following a link and without blocking (readCacheEntry
 *   below, the one rule every store that reads files goes through), and the
 *   Actions cache's archives are unpacked by our own code, which writes that
 *   one file and nothing else (src/action/cache-archive.ts);
 * - it is read under the job's deadline (`signal`).
 *
 * What re-hashing cannot undo is only what a store does before the core sees
 * the bytes, hence the second and third rule. A refused entry is thrown as
 * CacheEntryRefused: a warning naming the entry and why, then a download.
 *
 * `save` is only called once a pack has succeeded (packager.ts), for datasets
 * whose digest the spec pinned and that were downloaded in this pack.
 */






/** A cache entry that is not used, and why (the message names the entry): a warning, then a download. */
class CacheEntryRefused extends Error {
    constructor(message) {
        super(message);
        this.name = 'CacheEntryRefused';
    }
}
/** What a file that is not a regular file is, in words. */
function fileKind(st) {
    if (st.isSymbolicLink())
        return 'a symbolic link';
    if (st.isFIFO())
        return 'a FIFO (named pipe)';
    if (st.isDirectory())
        return 'a directory';
    if (st.isCharacterDevice() || st.isBlockDevice())
        return 'a device';
    if (st.isSocket())
        return 'a socket';
    return 'not a regular file';
}
/**
 * Copies the cache entry `file` to `dest` under the one rule for every cache
 * entry: a regular file, reached from `root` without a symbolic link on the
 * way, opened without following a link and without blocking, checked again
 * on the open descriptor, and read with the job's deadline in force.
 *
 * Why each step: a FIFO blocks a plain open or copy forever (and in a
 * thread-pool thread, where no signal reaches it), a device can be endless,
 * and a symbolic link would make us read, hash and log the hash of a file
 * the store's writer could not read themselves (a root-only file). So a link
 * is refused without looking at its target. `lstat` first, so that a device
 * is never even opened; O_NONBLOCK so that a FIFO swapped in after the
 * `lstat` cannot block the open; `fstat` on the descriptor, so that what is
 * read is what was checked.
 *
 * Returns false when there is no entry; throws CacheEntryRefused for an
 * entry that breaks the rule, and the read error otherwise.
 */
async function readCacheEntry(root, file, dest, options = {}) {
    const { signal, maxBytes } = options;
    signal?.throwIfAborted();
    let st;
    try {
        st = await (0,promises_namespaceObject.lstat)(file);
    }
    catch (err) {
        if (err.code === 'ENOENT' || err.code === 'ENOTDIR')
            return false;
        throw err;
    }
    if (!st.isFile())
        throw new CacheEntryRefused(`the entry ${file} is ${fileKind(st)}, not a regular file`);
    // A link in a folder between the store's root and the entry leads out of the store just as well.
    const [realRoot, realDir] = await Promise.all([(0,promises_namespaceObject.realpath)(root), (0,promises_namespaceObject.realpath)(external_node_path_default().dirname(file))]);
    if (realDir !== external_node_path_default().join(realRoot, external_node_path_default().relative(root, external_node_path_default().dirname(file)))) {
        throw new CacheEntryRefused(`the entry ${file} is reached through a symbolic link, which leads out of the cache`);
    }
    if (maxBytes !== undefined && st.size > maxBytes) {
        throw new CacheEntryRefused(`the entry ${file} holds ${st.size} bytes, more than the ${maxBytes} a dataset may have`);
    }
    let handle;
    try {
        handle = await (0,promises_namespaceObject.open)(file, external_node_fs_namespaceObject.constants.O_RDONLY | external_node_fs_namespaceObject.constants.O_NOFOLLOW | external_node_fs_namespaceObject.constants.O_NONBLOCK);
    }
    catch (err) {
        // ELOOP: a link swapped in after the lstat (O_NOFOLLOW); ENXIO: a socket.
        const code = err.code;
        if (code === 'ELOOP' || code === 'ENXIO')
            throw new CacheEntryRefused(`the entry ${file} changed into something other than a regular file while being opened`);
        throw err;
    }
    try {
        const opened = await handle.stat();
        if (!opened.isFile() || opened.ino !== st.ino || opened.dev !== st.dev) {
            throw new CacheEntryRefused(`the entry ${file} changed while being opened (now ${opened.isFile() ? 'another file' : fileKind(opened)})`);
        }
        let copied = 0;
        // The size was checked, but the file may grow while it is read.
        const capped = new external_node_stream_namespaceObject.Transform({
            transform(chunk, _enc, done) {
                copied += chunk.length;
                if (maxBytes !== undefined && copied > maxBytes)
                    done(new CacheEntryRefused(`the entry ${file} grew past the ${maxBytes} bytes a dataset may have while it was read`));
                else
                    done(null, chunk);
            }
        });
        await (0,external_node_stream_promises_namespaceObject.pipeline)((0,external_node_fs_namespaceObject.createReadStream)('', { fd: handle.fd, autoClose: false, highWaterMark: 1024 * 1024 }), capped, (0,external_node_fs_namespaceObject.createWriteStream)(dest), {
            signal
        });
        return true;
    }
    catch (err) {
        await (0,promises_namespaceObject.rm)(dest, { force: true }).catch(() => { });
        throw err;
    }
    finally {
        await handle.close();
    }
}
/** Content-addressed folder: `<dir>/<sha256>`. */
class DirectoryDatasetCache {
    dir;
    label;
    constructor(dir) {
        this.dir = dir;
        this.label = `the cache folder ${dir}`;
    }
    restore(sha256, dest, options) {
        return readCacheEntry(this.dir, external_node_path_default().join(this.dir, sha256), dest, options);
    }
    async save(sha256, file) {
        await (0,promises_namespaceObject.mkdir)(this.dir, { recursive: true });
        // An unguessable name, created exclusively: in a folder others can write
        // to, a predictable one could be a planted link that the copy would follow.
        const tmp = external_node_path_default().join(this.dir, `.${sha256}.${(0,external_node_crypto_namespaceObject.randomBytes)(8).toString('hex')}.tmp`);
        try {
            // A hard link costs nothing when the cache is on the same file system.
            await (0,promises_namespaceObject.link)(file, tmp).catch(() => (0,promises_namespaceObject.copyFile)(file, tmp, external_node_fs_namespaceObject.constants.COPYFILE_EXCL));
            await (0,promises_namespaceObject.rename)(tmp, external_node_path_default().join(this.dir, sha256));
        }
        catch (err) {
            await (0,promises_namespaceObject.rm)(tmp, { force: true }).catch(() => { });
            throw err;
        }
        return true;
    }
    async discard(sha256) {
        await (0,promises_namespaceObject.rm)(external_node_path_default().join(this.dir, sha256), { force: true });
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/core/units.ts
/** Human-written quantities: parsing sizes, and showing byte counts. */
const UNITS = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };
/**
 * "500M", "5G", "1048576" → bytes (binary units; an optional trailing "B" or
 * "iB" is allowed). Throws RangeError for anything else; the option registry
 * turns that into a message naming the option (options/kinds.ts).
 */
function parseByteSize(text) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(text);
    const unit = m ? UNITS[(m[2] ?? '').toUpperCase()] : undefined;
    const n = m && unit !== undefined ? Math.floor(Number(m[1]) * unit) : NaN;
    if (!Number.isSafeInteger(n))
        throw new RangeError(`${JSON.stringify(text)} is not a size`);
    return n;
}
/** A byte count for people: "512 B", "1.5 MiB" (binary units, like parseByteSize). */
function formatBytes(n) {
    if (n < 1024)
        return `${n} B`;
    const units = ['KiB', 'MiB', 'GiB', 'TiB'];
    let v = n / 1024;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
    }
    return `${v.toFixed(1)} ${units[i]}`;
}

;// CONCATENATED MODULE: ./src/core/fs/fs-errors.ts
/**
 * File-system errors in words a user can act on: the errno codes a full disk,
 * a read-only or unwritable output folder, or a quota produce, instead of
 * Node's "ENOSPC: no space left on device, write".
 */
function describeFsError(err) {
    const code = err.code;
    switch (code) {
        case 'ENOSPC':
            return 'no space left on the device';
        case 'EACCES':
        case 'EPERM':
            return 'permission denied';
        case 'EROFS':
            return 'the file system is read-only';
        case 'ENOTDIR':
            return 'a part of the path is not a folder';
        case 'ENOENT':
            return 'no such file or folder';
        case 'EDQUOT':
            return 'disk quota exceeded';
        default:
            return err.message;
    }
}

;// CONCATENATED MODULE: ./src/core/progress.ts

/** Least time between two updates of one item sent to the logger. */
const TRACK_INTERVAL_MS = 100;
const NOT_TRACKED = { update: () => { }, finish: () => { }, fail: () => { } };
/** Starts counting one item (its first update, with 0 done, is sent now). */
function trackProgress(logger, item, now = monotonicNow) {
    if (!logger.progress)
        return NOT_TRACKED;
    let done = 0;
    let total = item.total;
    let bytes;
    let ended = false;
    let sentAt = now();
    // Built only when sent, not for every chunk.
    const send = (end) => {
        sentAt = now();
        // Called on the logger, not detached from it: a class's method needs its `this`.
        logger.progress?.({ ...item, done, total, bytes, end });
    };
    send();
    return {
        update(count, more) {
            if (ended)
                return;
            done = count;
            if (more?.total !== undefined)
                total = more.total;
            if (more?.bytes !== undefined)
                bytes = more.bytes;
            // A count held back here goes out with the next update or the end.
            if (now() - sentAt >= TRACK_INTERVAL_MS)
                send();
        },
        finish() {
            if (ended)
                return;
            ended = true;
            send('done');
        },
        fail() {
            if (ended)
                return;
            ended = true;
            send('failed');
        }
    };
}
function monotonicNow() {
    return performance.now();
}
/** Below this span a rate is noise (and at the very start, 0 of 0): none is given. */
const MIN_RATE_SPAN_MS = 500;
/** Samples closer than this are merged, so a caller reporting every chunk cannot grow the window without bound. */
const SAMPLE_SPACING_MS = 100;
class ProgressMeter {
    items = new Map();
    intervalMs;
    windowMs;
    now;
    constructor(options) {
        this.intervalMs = options.intervalMs;
        this.windowMs = options.windowMs ?? 5000;
        this.now = options.now ?? monotonicNow;
    }
    /** Items started and not yet ended. */
    get size() {
        return this.items.size;
    }
    /**
     * Takes one update; returns a report when this item is due one (every
     * `intervalMs`, and when it is done). A failed item is dropped without a
     * report: the error that stopped it is reported elsewhere.
     */
    record(update) {
        const now = this.now();
        const key = `${update.phase}\0${update.label}\0${update.step ?? ''}`;
        if (update.end === 'failed') {
            this.items.delete(key);
            return undefined;
        }
        let item = this.items.get(key);
        // A count going backwards is a new attempt (a retried download): it starts over.
        if (!item || update.done < item.update.done) {
            item = { update, start: now, lastReport: now, samples: [] };
            this.items.set(key, item);
        }
        item.update = update;
        addSample(item.samples, { t: now, done: update.done, bytes: bytesOf(update) }, now - this.windowMs);
        if (update.end === 'done') {
            this.items.delete(key);
            return this.report(item, now);
        }
        if (now - item.lastReport < this.intervalMs)
            return undefined;
        // All counted but not yet done (a digest check, the last blocks): the final report is about to say it.
        if (update.total !== undefined && update.done >= update.total)
            return undefined;
        item.lastReport = now;
        return this.report(item, now);
    }
    /** A report of every unfinished item, in the order they started (for a display redrawn on its own clock). */
    snapshot() {
        const now = this.now();
        return [...this.items.values()].map((item) => this.report(item, now));
    }
    /** Forgets every item (the phase they belonged to is over). */
    clear() {
        this.items.clear();
    }
    report(item, now) {
        const u = item.update;
        const elapsedMs = now - item.start;
        const percent = u.total === undefined ? undefined : u.total > 0 ? Math.min(100, Math.floor((u.done / u.total) * 100)) : 100;
        const report = { ...u, percent, elapsedMs };
        if (u.end === 'done') {
            // Done: the average says more than the last few seconds did.
            if (elapsedMs > 0) {
                report.rate = (u.done / elapsedMs) * 1000;
                const bytes = bytesOf(u);
                if (bytes !== undefined)
                    report.byteRate = (bytes / elapsedMs) * 1000;
            }
            return report;
        }
        const samples = item.samples;
        const latest = samples.at(-1);
        // The newest sample at or before the window's start, else the oldest: the rate covers at most the window.
        let base = samples.at(0);
        for (const s of samples) {
            if (s.t > now - this.windowMs)
                break;
            base = s;
        }
        if (!latest || !base)
            return report;
        const span = now - base.t;
        if (span < MIN_RATE_SPAN_MS)
            return report;
        report.rate = ((latest.done - base.done) / span) * 1000;
        if (latest.bytes !== undefined && base.bytes !== undefined)
            report.byteRate = ((latest.bytes - base.bytes) / span) * 1000;
        if (u.total !== undefined && report.rate > 0)
            report.secondsLeft = Math.max(0, u.total - u.done) / report.rate;
        return report;
    }
}
function bytesOf(u) {
    return u.bytes ?? (u.unit === 'bytes' ? u.done : undefined);
}
function addSample(samples, sample, windowStart) {
    const previous = samples.at(-2);
    if (previous && sample.t - previous.t < SAMPLE_SPACING_MS)
        samples[samples.length - 1] = sample;
    else
        samples.push(sample);
    // Keep one sample at or before the window's start: the rate's base.
    while ((samples.at(1)?.t ?? Infinity) <= windowStart)
        samples.shift();
}
// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------
/**
 * One line for a report, e.g.
 *   download data/train.csv: 45%, 4.5 MiB of 10.0 MiB, 1.2 MiB/s, 5 s left
 *   fetch code, receiving objects: 45% (450/1000), 1.2 MiB, 600.0 KiB/s, 2 s left
 *   download data/stream.bin: 4.5 MiB, 1.2 MiB/s               (no total)
 *   download data/train.csv: 100%, 10.0 MiB in 8.1 s (1.2 MiB/s)   (done)
 */
function formatProgress(r) {
    const head = `${r.phase} ${progress_printable(r.label)}${r.step ? `, ${progress_printable(r.step)}` : ''}`;
    const bytes = bytesOf(r);
    const rate = r.byteRate !== undefined ? `${formatBytes(Math.round(r.byteRate))}/s` : r.rate !== undefined ? `${Math.round(r.rate)} ${r.unit}/s` : '';
    // Objects read as git shows them, "45% (450/1000), 1.2 MiB"; bytes as "45%, 4.5 MiB of 10.0 MiB".
    const objects = r.total === undefined ? `${r.done} ${r.unit}` : `(${r.done}/${r.total})`;
    const withBytes = bytes !== undefined ? `${objects}, ${formatBytes(bytes)}` : objects;
    if (r.end === 'done') {
        const amount = r.unit === 'bytes' ? `, ${formatBytes(r.done)}` : ` ${withBytes}`;
        return `${head}: ${r.percent !== undefined ? `${r.percent}%` : 'done'}${amount} in ${formatDuration(r.elapsedMs / 1000)}${rate ? ` (${rate})` : ''}`;
    }
    const parts = [];
    if (r.unit === 'bytes') {
        const amount = r.total === undefined ? formatBytes(r.done) : `${formatBytes(r.done)} of ${formatBytes(r.total)}`;
        parts.push(r.percent !== undefined ? `${r.percent}%, ${amount}` : amount);
    }
    else {
        parts.push(r.percent !== undefined ? `${r.percent}% ${withBytes}` : withBytes);
    }
    if (r.rate === 0)
        parts.push('stalled');
    else if (rate)
        parts.push(rate);
    if (r.secondsLeft !== undefined)
        parts.push(`${formatDuration(r.secondsLeft)} left`);
    return `${head}: ${parts.join(', ')}`;
}
/** < 0.1 s, 8.1 s, 42 s, 2 min 05 s, 1 h 02 min. */
function formatDuration(seconds) {
    if (seconds < 0.1)
        return '< 0.1 s';
    if (seconds < 10)
        return `${(Math.floor(seconds * 10) / 10).toFixed(1)} s`;
    const s = Math.round(seconds);
    if (s < 60)
        return `${s} s`;
    if (s < 3600)
        return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
    return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}
/**
 * Control characters (C0, DEL, C1: a lone 0x9b is a CSI on some terminals),
 * line and paragraph separators and bidi overrides shown as `?`, so a label
 * cannot move the cursor, end the line or reorder what follows it.
 */
function progress_printable(text) {
    return text.replace(/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, '?');
}

;// CONCATENATED MODULE: external "node:timers/promises"
const external_node_timers_promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:timers/promises");
;// CONCATENATED MODULE: ./src/core/retry.ts
/**
 * Retries an operation with exponential back-off. Only errors the operation
 * marks as transient are retried; a cancelled run stops waiting at once.
 */

async function withRetry(policy, op, isTransient, delayFor) {
    for (let attempt = 1;; attempt++) {
        try {
            return await op(attempt);
        }
        catch (err) {
            if (attempt >= policy.attempts || !isTransient(err) || policy.signal?.aborted)
                throw err;
            const delay = delayFor?.(err) ?? policy.delayMs * 2 ** (attempt - 1);
            policy.logger.warn(`${policy.what} failed (attempt ${attempt} of ${policy.attempts}): ${err.message} — retrying in ${(delay / 1000).toFixed(1)} s`);
            await (0,external_node_timers_promises_namespaceObject.setTimeout)(delay, undefined, { signal: policy.signal }).catch(() => {
                throw policy.signal?.reason ?? err;
            });
        }
    }
}

;// CONCATENATED MODULE: external "node:http"
const external_node_http_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");
var external_node_http_default = /*#__PURE__*/__nccwpck_require__.n(external_node_http_namespaceObject);
;// CONCATENATED MODULE: external "node:https"
const external_node_https_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");
var external_node_https_default = /*#__PURE__*/__nccwpck_require__.n(external_node_https_namespaceObject);
;// CONCATENATED MODULE: external "node:dns"
const external_node_dns_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");
var external_node_dns_default = /*#__PURE__*/__nccwpck_require__.n(external_node_dns_namespaceObject);
;// CONCATENATED MODULE: external "node:net"
const external_node_net_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");
var external_node_net_default = /*#__PURE__*/__nccwpck_require__.n(external_node_net_namespaceObject);
;// CONCATENATED MODULE: ./src/core/download/address-policy.ts
/**
 * Which network destinations a dataset download may connect to. With the
 * block on, loopback, private, link-local (cloud metadata at 169.254.169.254),
 * CGNAT, multicast and reserved ranges are refused, in every spelling: the
 * check runs on the address actually connected to (after DNS), for every
 * redirect hop, and IPv6 forms that carry an IPv4 address are judged by it.
 * Decimal, octal and hex IPv4 spellings are normalised by the URL parser
 * before this.
 *
 * IPv6 forms with an IPv4 address inside:
 * - IPv4-mapped `::ffff:a.b.c.d` and IPv4-translated `::ffff:0:a.b.c.d`: the
 *   IPv4 address itself; refused when it is.
 * - 6to4 `2002:AABB:CCDD::/48`: the site behind the IPv4 address A.B.C.D
 *   (a host with a 6to4 interface routes it there); refused when that
 *   address is non-public, allowed like the IPv4 address otherwise.
 * - IPv4-compatible `::a.b.c.d` (`::/96`): refused outright. Deprecated since
 *   2006 (RFC 4291), never assigned to a server, yet some stacks still send
 *   it to a.b.c.d; nothing legitimate is lost.
 * - Teredo `2001:0::/32`: refused outright. It holds two IPv4 addresses (the
 *   relay's, and the client's behind a NAT, bit-inverted) and belongs to
 *   tunnelled clients, not to servers a dataset could come from; judging one
 *   embedded address would leave the other.
 */



const BLOCKED = new (external_node_net_default()).BlockList();
for (const [prefix, bits] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.0.2.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['198.51.100.0', 24],
    ['203.0.113.0', 24],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4]
]) {
    BLOCKED.addSubnet(prefix, bits, 'ipv4');
}
for (const [prefix, bits] of [
    // IPv4-compatible (includes :: and ::1), see above.
    ['::', 96],
    ['64:ff9b::', 96],
    ['64:ff9b:1::', 48],
    // Teredo, see above.
    ['2001::', 32],
    ['100::', 64],
    ['2001:db8::', 32],
    ['fc00::', 7],
    ['fe80::', 10],
    ['fec0::', 10],
    ['ff00::', 8]
]) {
    BLOCKED.addSubnet(prefix, bits, 'ipv6');
}
/** True when `address` (an IP literal) is not a public unicast address. */
function isNonPublicAddress(address) {
    const family = external_node_net_default().isIP(address);
    if (family === 0)
        return true;
    if (family === 4)
        return BLOCKED.check(address, 'ipv4');
    const v4 = embeddedIpv4(ipv6Bytes(address));
    if (v4 !== undefined && BLOCKED.check(v4, 'ipv4'))
        return true;
    return BLOCKED.check(address.replace(/%.*$/, ''), 'ipv6');
}
/** The IPv4 address an IPv6 address is judged by (mapped, translated, 6to4), if any. */
function embeddedIpv4(b) {
    const zero = (from, to) => b.slice(from, to).every((x) => x === 0);
    const v4 = (at) => b.slice(at, at + 4).join('.');
    if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff)
        return v4(12);
    if (zero(0, 8) && b[8] === 0xff && b[9] === 0xff && zero(10, 12))
        return v4(12);
    if (b[0] === 0x20 && b[1] === 0x02)
        return v4(2);
    return undefined;
}
/** The 16 bytes of an IPv6 literal that net.isIP accepted (any spelling: `::`, a dotted tail, a zone). */
function ipv6Bytes(address) {
    let text = address.replace(/%.*$/, '');
    const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
    if (dotted) {
        const [a, b, c, d] = dotted.slice(1).map(Number);
        text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
    }
    const [head = '', tail] = text.split('::');
    const words = (part) => (part === '' ? [] : part.split(':'));
    const h = words(head);
    const t = tail === undefined ? [] : words(tail);
    const all = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    return all.flatMap((w) => {
        const n = parseInt(w, 16);
        return [n >> 8, n & 255];
    });
}
const DATASET_SUBJECT = { name: 'a dataset', rule: 'Datasets must come from public addresses' };
/** `allowHint` says, in the user's own words, how to turn the block off (e.g. "--allow-private-network"). */
function refusal(host, address, allowHint, subject) {
    // A dataset's refusal keeps its words: the URL it names already says what it is.
    const what = subject === DATASET_SUBJECT ? '' : ` for ${subject.name}`;
    return new DownloadError(`Refused to connect to ${host} (${address})${what}: it is a loopback, private, link-local or reserved address. ${subject.rule} unless the private-network block is turned off (to allow it: ${allowHint}).`);
}
const DEFAULT_HINT = 'allowPrivateNetwork: true';
function addressBlock(allowPrivate) {
    return allowPrivate ? undefined : isNonPublicAddress;
}
/** Checks a URL's host when it is an IP literal (DNS lookup is skipped for those). */
function checkLiteralHost(hostname, blocked, allowHint = DEFAULT_HINT, subject = DATASET_SUBJECT) {
    const host = hostname.replace(/^\[|\]$/g, '');
    if (blocked && external_node_net_default().isIP(host) && blocked(host))
        throw refusal(hostname, host, allowHint, subject);
}
/**
 * A `lookup` for http.request that refuses blocked results, so the check
 * applies to the address the socket really connects to (no DNS rebinding gap).
 */
function guardedLookup(blocked, allowHint = DEFAULT_HINT, subject = DATASET_SUBJECT) {
    return (hostname, options, callback) => {
        external_node_dns_default().lookup(hostname, { ...options, all: true }, (err, addresses) => {
            if (err)
                return callback(err, '', 0);
            if (blocked) {
                const bad = addresses.find((a) => blocked(a.address));
                if (bad)
                    return callback(refusal(hostname, bad.address, allowHint, subject), '', 0);
            }
            if (options.all)
                return callback(null, addresses);
            const first = addresses[0];
            if (!first)
                return callback(new Error(`no address for ${hostname}`), '', 0);
            callback(null, first.address, first.family);
        });
    };
}

;// CONCATENATED MODULE: ./src/core/net/http-request.ts
/**
 * One HTTP request under the rules every request of ours follows, whoever
 * makes it (a dataset download, the container registry client):
 *
 * - the scheme is https, or http only when allow-protocols includes it;
 * - the destination passes the address policy (download/address-policy.ts),
 *   checked on the address actually connected to, at every hop;
 * - redirects are followed by hand, each hop checked again: http(s) only,
 *   never from https down to http, at most `maxRedirects`;
 * - no connection reuse (every hop's address is looked up and checked
 *   afresh), an idle timeout, and the caller's abort signal.
 *
 * Headers are asked for per hop, so that a credential (a registry's bearer
 * token) goes only to the origin it belongs to, never to the host a redirect
 * points at. What the caller does with the final response (stream it to a
 * file, read a small body) is its own business.
 */





const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const RETRY_STATUS = (status) => status >= 500 || status === 408 || status === 429;
/** A failure worth another attempt (network error, 5xx, 408, 429, a broken or stalled transfer). */
class RetryableDownloadError extends DownloadError {
    retryAfterMs;
    constructor(message, retryAfterMs) {
        super(message, true);
        this.retryAfterMs = retryAfterMs;
    }
}
function policyNames(req) {
    return req.names ?? defaultNamer;
}
function subjectOf(req) {
    return req.subject ?? DATASET_SUBJECT;
}
function allowPrivateHint(req) {
    return policyNames(req)('allowPrivateNetwork', 'true');
}
/**
 * Sends the request and follows redirects, checking every hop; resolves with
 * the first response that is not a redirect, whatever its status (the body
 * not yet read: the caller reads it or calls `res.resume()`).
 */
async function openUrl(req) {
    let url = req.url;
    const redact = (u) => req.redactor.apply(u.href);
    const hops = [];
    for (let hop = 0;; hop++) {
        throwIfAborted(req.signal);
        if (url.protocol === 'http:' && !req.allowHttp) {
            throw new DownloadError(`${redact(url)}: plain http is not allowed for ${subjectOf(req).name} (to allow it: ${policyNames(req)('allowProtocols', 'https,http')})`);
        }
        if (url.protocol !== 'https:' && url.protocol !== 'http:') {
            throw new DownloadError(`${redact(url)}: a ${url.protocol} URL is not fetched for ${subjectOf(req).name}; only https (and http when allowed)`);
        }
        checkLiteralHost(url.hostname, req.blockedAddress ?? addressBlock(req.allowPrivateNetwork), allowPrivateHint(req), subjectOf(req));
        hops.push(url);
        const res = await send(url, req, hops);
        const status = res.statusCode ?? 0;
        if (!REDIRECTS.has(status))
            return { res, url };
        res.resume();
        const location = res.headers.location;
        if (!location)
            throw new DownloadError(`${redact(url)} answered ${status} without a Location header`);
        if (hop >= req.maxRedirects)
            throw new DownloadError(`${redact(req.url)}: more than ${req.maxRedirects} redirects (${policyNames(req)('maxRedirects')})`);
        let next;
        try {
            next = new URL(location, url);
        }
        catch {
            throw new DownloadError(`${redact(url)} redirected to an invalid URL`);
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
            throw new DownloadError(`${redact(url)} redirected to a ${next.protocol} URL; only http(s) redirects are followed`);
        }
        if (url.protocol === 'https:' && next.protocol === 'http:') {
            throw new DownloadError(`${redact(url)} redirected from https down to http (${redact(next)}); refused`);
        }
        req.logger.debug(`${req.label}: ${status} redirect to ${redact(next)}`);
        url = next;
    }
}
function send(url, req, hops) {
    return new Promise((resolve, reject) => {
        const client = url.protocol === 'https:' ? (external_node_https_default()) : (external_node_http_default());
        const request = client.request(url, {
            method: req.method ?? 'GET',
            headers: { 'user-agent': 'job-packager', ...req.headers?.(hops) },
            lookup: guardedLookup(req.blockedAddress ?? addressBlock(req.allowPrivateNetwork), allowPrivateHint(req), subjectOf(req)),
            signal: req.signal,
            ...(req.ca !== undefined && url.protocol === 'https:' ? { ca: req.ca } : {}),
            // No connection reuse: every hop's address is looked up (and checked) afresh.
            agent: false
        });
        let response;
        request.setTimeout(req.idleTimeoutMs, () => {
            if (response)
                idleTimedOut.add(response);
            request.destroy(idleError(url, req));
        });
        request.on('response', (res) => {
            response = res;
            resolve(res);
        });
        request.on('error', (err) => reject(classify(err, url, req)));
        request.end();
    });
}
/** Requests ended by the idle timer: their response streams only report "aborted". */
const idleTimedOut = new WeakSet();
/** True when the response's stream broke because nothing arrived for the idle timeout. */
function endedByIdleTimeout(res) {
    return idleTimedOut.has(res);
}
function idleError(url, req) {
    return new RetryableDownloadError(`${req.redactor.apply(url.href)}: no data for ${(req.idleTimeoutMs / 1000).toFixed(1)} s (idle timeout, ${policyNames(req)('idleTimeoutMs')})`);
}
function classify(err, url, req) {
    if (req.signal?.aborted)
        return abortReason(req.signal);
    if (err instanceof DownloadError)
        return err;
    const code = err.code ?? '';
    const message = `${req.redactor.apply(url.href)}: ${code || err.message}`;
    if (/^(ENOTFOUND|EAI_NONAME)$/.test(code))
        return new DownloadError(`${message} (host not found)`);
    if (/CERT|SSL|TLS/.test(code))
        return new DownloadError(`${message} (TLS certificate problem)`);
    return new RetryableDownloadError(message);
}
/** The Retry-After header, in milliseconds, within reason (a minute at most). */
function retryAfter(header) {
    if (!header)
        return undefined;
    const seconds = Number(header);
    if (Number.isFinite(seconds))
        return Math.min(Math.max(seconds, 0), 60) * 1000;
    return undefined;
}
/**
 * Reads a small body whole, refusing more than `maxBytes` (declared or
 * received): for JSON answers, never for datasets.
 */
async function readSmallBody(res, url, maxBytes, req) {
    const shown = req.redactor.apply(url.href);
    const declared = res.headers['content-length'] === undefined ? undefined : Number(res.headers['content-length']);
    if (declared !== undefined && declared > maxBytes) {
        res.destroy();
        throw new DownloadError(`${shown}: the answer is ${declared} bytes, more than the ${maxBytes} expected at most`);
    }
    const chunks = [];
    let bytes = 0;
    try {
        for await (const chunk of res) {
            bytes += chunk.length;
            if (bytes > maxBytes) {
                res.destroy();
                throw new DownloadError(`${shown}: the answer is more than the ${maxBytes} bytes expected at most`);
            }
            chunks.push(chunk);
        }
    }
    catch (err) {
        if (err instanceof DownloadError)
            throw err;
        if (req.signal?.aborted)
            throw abortReason(req.signal);
        if (endedByIdleTimeout(res))
            throw idleError(url, req);
        throw new RetryableDownloadError(`${shown}: the connection broke after ${bytes} bytes`);
    }
    if (declared !== undefined && bytes !== declared) {
        throw new RetryableDownloadError(`${shown}: received ${bytes} bytes but Content-Length said ${declared} (truncated body)`);
    }
    return Buffer.concat(chunks);
}

;// CONCATENATED MODULE: ./src/core/net/token-origin.ts
/** The credential, when every hop so far (the first request included) is on its origin; undefined otherwise. */
function credentialForHops(bound, hops) {
    if (!bound || bound.origin === '' || hops.length === 0)
        return undefined;
    return hops.every((u) => u.origin === bound.origin) ? bound.value : undefined;
}
/**
 * The git token for a repository: git's only hop is the remote (it follows
 * no redirect), so this is `credentialForHops` with that one hop. ssh and
 * local remotes never get the token (it only travels as an HTTP header).
 */
function tokenForRepository(git, token, tokenOrigin) {
    if (!token || git.origin === undefined)
        return {};
    const given = credentialForHops({ value: token, origin: tokenOrigin }, [new URL(git.origin)]);
    return given !== undefined ? { token: given } : { withheldFrom: git.origin };
}
/** The data token for the next hop of a download (see credentialForHops). */
function dataTokenForHop(auth, hops) {
    return credentialForHops(auth && { value: auth.token, origin: auth.origin }, hops);
}

;// CONCATENATED MODULE: ./src/core/download/size-limits.ts
/**
 * The byte limits a dataset download is held to: its own size
 * (maxDatasetBytes) and, together with the job's earlier datasets, the total
 * (maxTotalDatasetBytes). Both are checked against Content-Length before the
 * body is read, and again as the bytes arrive, since a server need not
 * announce a length, nor tell the truth about it.
 */


/** The error for a Content-Length over a limit, if it is. */
function announcedTooLarge(limits, declared) {
    const names = limits.names ?? defaultNamer;
    if (declared > limits.maxBytes) {
        return new LimitError(`${limits.label}: the server announces ${declared} bytes, more than the limit of ${limits.maxBytes} (${names('maxDatasetBytes')})`);
    }
    const total = limits.totalBytes;
    if (total && total.before + declared > total.max) {
        return new LimitError(`${limits.label}: the server announces ${declared} bytes; with the ${total.before} bytes of the job's other datasets that is more than the limit of ${total.max} on all datasets together (${names('maxTotalDatasetBytes')})`);
    }
    return undefined;
}
/** The error for `received` bytes so far being over a limit, if they are. */
function receivedTooMuch(limits, received) {
    const names = limits.names ?? defaultNamer;
    if (received > limits.maxBytes) {
        return new LimitError(`${limits.label}: more than ${limits.maxBytes} bytes received (${names('maxDatasetBytes')})`);
    }
    const total = limits.totalBytes;
    if (total && total.before + received > total.max) {
        return new LimitError(`${limits.label}: more than ${total.max - total.before} bytes received, which with the ${total.before} bytes of the job's other datasets is more than the limit of ${total.max} on all datasets together (${names('maxTotalDatasetBytes')})`);
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/core/download/http-download.ts
/**
 * Streams one URL to a file with constant memory, hashing and counting (progress) as it goes.
 * Written on node:http(s) rather than tool-cache's downloadTool, which follows
 * redirects to any scheme, has no size cap, no overall deadline and no digest
 * check (README, "Hand-written parts"). Each hop is checked: http(s) only, no
 * https→http downgrade, at most `maxRedirects`, and (unless allowed) no
 * non-public destination — checked on the resolved address.
 *
 * A data token, when the caller has one, goes as `Authorization: Bearer` to
 * its one origin only, and to no hop after a redirect has left that origin
 * (net/token-origin.ts): presigned object-store URLs, the usual target of
 * such a redirect, work without it (and refuse a request that has both).
 */













const LOCAL_FS_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO', 'EFBIG']);
/** Larger writes than the 16 KiB default: about twice the download speed on loopback, still a flat 4 MiB of memory. */
const WRITE_BUFFER = 4 * 1024 * 1024;
async function downloadFile(req) {
    const shown = req.redactor.apply(req.url.href);
    return withRetry({ attempts: req.attempts, delayMs: req.retryDelayMs, signal: req.signal, logger: req.logger, what: `Download of ${shown}` }, () => downloadOnce(req), (err) => err instanceof DownloadError && err.retryable, (err) => (err instanceof RetryableDownloadError ? err.retryAfterMs : undefined)).catch(async (err) => {
        await (0,promises_namespaceObject.rm)(req.dest, { force: true });
        throw err;
    });
}
async function downloadOnce(req) {
    // Every hop is checked by openUrl (net/http-request.ts): scheme, address, redirect count.
    // It asks for each hop's headers with the hops so far, and the one credential rule (net/token-origin.ts) decides what goes.
    let hops = [];
    let sent = false;
    const { res, url } = await openUrl({
        ...req,
        headers: (sofar) => {
            hops = sofar;
            const token = dataTokenForHop(req.auth, sofar);
            if (sent && token === undefined)
                req.logger.debug(`${req.label}: redirected to another origin; the data token is not sent there, nor to any later hop`);
            sent = token !== undefined;
            // The caller's headers (a Git LFS server's own, or the git token for an href on its origin) are bound to the
            // URL's origin by the same rule: a redirect elsewhere drops them for good, even one that comes back.
            const own = credentialForHops(req.headers && { value: req.headers, origin: req.url.origin }, sofar);
            return {
                ...own,
                'accept-encoding': 'identity',
                ...(token !== undefined ? { authorization: `Bearer ${token}` } : {})
            };
        }
    });
    const status = res.statusCode ?? 0;
    if (status !== 200) {
        res.resume();
        // The status text is the server's: redacted like everything else it could echo.
        const message = req.redactor.apply(`${url.href} answered HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`);
        if (RETRY_STATUS(status))
            throw new RetryableDownloadError(message, retryAfter(res.headers['retry-after']));
        if (status === 401 || status === 403)
            throw new DownloadError(`${message}. ${credentialHint(req, url, hops, sent)}`);
        throw new DownloadError(message);
    }
    return receive(res, url, req);
}
/**
 * What to do about a 401/403: the server wants credentials (or other ones).
 * Names the options the way the user sets them; never shows the token.
 */
function credentialHint(req, url, hops, sent) {
    const n = policyNames(req);
    if (sent)
        return `The server refused the data token: check that ${n('dataToken')} is valid and grants access to this file.`;
    if (!req.auth) {
        return `A private dataset needs a token: set ${n('dataToken')} and ${n('dataTokenOrigin', url.origin)} (it is sent only to that origin).`;
    }
    if (hops[0]?.origin !== req.auth.origin) {
        return `The data token was not sent: ${url.origin} is not ${n('dataTokenOrigin')} (${req.auth.origin}), the only origin it goes to.`;
    }
    return `The data token was not sent: the download was redirected away from ${req.auth.origin} (${n('dataTokenOrigin')}), and the token never follows a redirect to another origin.`;
}
async function receive(res, url, req) {
    const declared = res.headers['content-length'] === undefined ? undefined : Number(res.headers['content-length']);
    const tooLarge = declared === undefined ? undefined : (wrongSize(req, url, declared, 'announces') ?? announcedTooLarge(req, declared));
    if (tooLarge) {
        res.destroy();
        throw tooLarge;
    }
    const hash = (0,external_node_crypto_namespaceObject.createHash)('sha256');
    let bytes = 0;
    const progress = trackProgress(req.logger, {
        phase: 'download',
        label: req.redactor.apply(req.label),
        unit: 'bytes',
        total: declared !== undefined && Number.isFinite(declared) ? declared : undefined
    });
    const meter = new external_node_stream_namespaceObject.Transform({
        transform(chunk, _enc, done) {
            bytes += chunk.length;
            const tooMuch = (req.exactBytes !== undefined && bytes > req.exactBytes ? wrongSize(req, url, bytes, 'sent at least') : undefined) ??
                receivedTooMuch(req, bytes);
            if (tooMuch) {
                done(tooMuch);
                return;
            }
            hash.update(chunk);
            progress.update(bytes);
            done(null, chunk);
        }
    });
    try {
        const out = (0,external_node_fs_namespaceObject.createWriteStream)(req.dest, { mode: 0o644, highWaterMark: WRITE_BUFFER });
        try {
            await (0,external_node_stream_promises_namespaceObject.pipeline)(res, meter, out, { signal: req.signal });
        }
        catch (err) {
            // The pipeline can fail (a limit, on the first chunk) while the file is still being opened; the open then
            // completes afterwards and would create the file after the caller removed it. Wait until it is closed.
            if (!out.closed)
                await new Promise((resolve) => out.once('close', () => resolve()));
            if (err instanceof DownloadError || err instanceof LimitError)
                throw err;
            if (req.signal?.aborted)
                throw req.signal.reason;
            if (endedByIdleTimeout(res))
                throw idleError(url, req);
            // The disk, not the network: no point in retrying.
            if (LOCAL_FS_ERRORS.has(err.code ?? '')) {
                throw new OutputError(`Could not write ${req.label}: ${describeFsError(err)}.`, { cause: err });
            }
            throw new RetryableDownloadError(`${req.redactor.apply(url.href)}: the connection broke after ${bytes}${declared !== undefined ? ` of ${declared}` : ''} bytes`);
        }
        if (declared !== undefined && bytes !== declared) {
            throw new RetryableDownloadError(`${req.redactor.apply(url.href)}: received ${bytes} bytes but Content-Length said ${declared} (truncated body)`);
        }
        const short = wrongSize(req, url, bytes, 'sent');
        if (short)
            throw short;
        const sha256 = hash.digest('hex');
        if (req.expectedSha256 && sha256 !== req.expectedSha256) {
            throw new DownloadError(`${req.label}: sha256 mismatch: expected ${req.expectedSha256}, got ${sha256}. ${req.mismatchHint ?? 'The file on the server is not the one the spec pinned.'}`);
        }
        progress.finish();
        req.logger.info(`${req.label}: ${formatBytes(bytes)}, sha256 ${sha256}`);
        return { bytes, sha256 };
    }
    finally {
        progress.fail();
    }
}
/** A body whose size is not the one required (exactBytes), if it is not. Not retried: the server is wrong, not the network. */
function wrongSize(req, url, bytes, verb) {
    if (req.exactBytes === undefined || bytes === req.exactBytes)
        return undefined;
    return new DownloadError(`${req.label}: ${req.redactor.apply(url.href)} ${verb} ${bytes} bytes, but ${req.exactBytes} are expected. ${req.mismatchHint ?? ''}`.trim());
}

;// CONCATENATED MODULE: ./src/core/download/datasets.ts
/**
 * Downloads every dataset of a job into `data/`, one after the other, each
 * checked (size, Content-Length, pinned digest) before it is renamed into
 * place. A pinned digest found in the dataset cache skips the network; the
 * restored bytes are re-hashed first, so a cache entry that does not match
 * is dropped (with a warning) and the dataset downloaded instead.
 *
 * Saving to the cache is a separate step (saveDatasets), which the packager
 * runs only after the pack has succeeded: a failed pack caches nothing.
 */








async function downloadDatasets(dataDir, req) {
    await (0,promises_namespaceObject.mkdir)(dataDir, { recursive: true });
    const results = [];
    // Datasets arrive one after the other, so the bytes before this one are a plain sum.
    let before = 0;
    const total = (bytesBefore) => ({ before: bytesBefore, max: req.limits.maxTotalDatasetBytes });
    const unpinned = req.cache ? req.datasets.filter((d) => !d.sha256).map((d) => `data/${d.fileName}`) : [];
    if (req.cache && unpinned.length > 0) {
        // Once, not per dataset: the reason is the same for all of them.
        req.logger.info(`Not cached: ${unpinned.join(', ')} (no ${req.names('data_sha256')}). The dataset cache is keyed by the pinned digest, which is also what checks a restored file; without one the bytes are downloaded every time.`);
    }
    for (const dataset of req.datasets) {
        const label = `data/${dataset.fileName}`;
        const dest = external_node_path_default().join(dataDir, dataset.fileName);
        const part = external_node_path_default().join(dataDir, `.${dataset.fileName}.part`);
        // Recorded in job.json: redacted structurally only (userinfo, query), never by the registered secrets (redact.ts).
        const url = redactUrl(dataset.url.href);
        const pinned = dataset.sha256 !== undefined;
        const restored = dataset.sha256 && req.cache ? await restoreVerified(req.cache, dataset.sha256, part, label, req) : undefined;
        if (dataset.sha256 && req.cache && restored === true) {
            const size = (await (0,promises_namespaceObject.stat)(part)).size;
            const overTotal = receivedTooMuch({ label, maxBytes: req.limits.maxDatasetBytes, totalBytes: total(before), names: req.names }, size);
            if (overTotal)
                throw overTotal;
            await (0,promises_namespaceObject.rename)(part, dest);
            before += size;
            req.logger.info(`${label}: ${formatBytes(size)} from the dataset cache (${req.cache.label}; sha256 ${dataset.sha256}, re-hashed)`);
            results.push({ name: dataset.fileName, url, size, sha256: dataset.sha256, pinned, cached: true });
            continue;
        }
        req.logger.info(`Downloading ${req.redactor.apply(dataset.url.href)} to ${label}`);
        if (req.auth && dataset.url.origin !== req.auth.origin) {
            // Said, since a private dataset will then fail: the token only ever goes to its one origin.
            req.logger.info(`The data token is not sent to ${dataset.url.origin}: it is only sent to ${req.auth.origin} (${req.names('dataTokenOrigin')}).`);
        }
        const { bytes, sha256 } = await downloadFile({
            url: dataset.url,
            dest: part,
            label,
            expectedSha256: dataset.sha256,
            maxBytes: req.limits.maxDatasetBytes,
            totalBytes: total(before),
            idleTimeoutMs: req.limits.idleTimeoutMs,
            maxRedirects: req.limits.maxRedirects,
            allowHttp: req.allowHttp,
            allowPrivateNetwork: req.allowPrivateNetwork,
            names: req.names,
            attempts: req.limits.attempts,
            retryDelayMs: req.limits.retryDelayMs,
            auth: req.auth,
            logger: req.logger,
            redactor: req.redactor,
            signal: req.signal
        });
        await (0,promises_namespaceObject.rename)(part, dest);
        before += bytes;
        results.push({
            name: dataset.fileName,
            url,
            size: bytes,
            sha256,
            pinned,
            cached: false,
            ...(typeof restored === 'string' ? { cacheNotUsed: restored } : {})
        });
    }
    return results;
}
/**
 * Restores a dataset from the cache into `part` and re-hashes it there, where
 * it will be used: true only when the bytes are the pinned ones; false when
 * the cache has no entry; otherwise why its entry was not used (refused,
 * unreadable, other bytes), which is also a warning. On a mismatch (the
 * entry is corrupt, or was written by someone else under this key) the file
 * is removed and the store asked to drop the entry.
 */
async function restoreVerified(cache, sha256, part, label, req) {
    let restored;
    try {
        restored = await cache.restore(sha256, part, { signal: req.signal, maxBytes: req.limits.maxDatasetBytes });
    }
    catch (err) {
        // The deadline or a cancellation: the job stops, it does not fall back to the network.
        req.signal?.throwIfAborted();
        await (0,promises_namespaceObject.rm)(part, { force: true });
        // A cache is an optimisation: failing to read it, or refusing what it holds, costs a download, not the job.
        const what = err instanceof CacheEntryRefused ? 'Did not restore' : 'Could not restore';
        req.logger.warn(`${what} ${label} from ${cache.label}: ${err.message}; downloading it instead.`);
        return err.message;
    }
    if (!restored) {
        await (0,promises_namespaceObject.rm)(part, { force: true });
        req.logger.debug(`${label}: not in ${cache.label}`);
        return false;
    }
    req.signal?.throwIfAborted();
    const actual = await sha256File(part);
    if (actual === sha256)
        return true;
    await (0,promises_namespaceObject.rm)(part, { force: true });
    const advice = await cache.discard?.(sha256).catch((err) => `It could not be removed: ${err.message}.`);
    req.logger.warn(`${label}: the copy in ${cache.label} has sha256 ${actual}, not the pinned ${sha256}; it was not used, and the dataset is downloaded instead.${advice ? ` ${advice}` : ''}`);
    return `it has sha256 ${actual}, not the pinned one`;
}
/**
 * Offers every downloaded, pinned dataset to the cache. Called only after a
 * successful pack; a failure to save is a warning and never fails the pack.
 * Sets `saved` on each dataset offered.
 */
async function saveDatasets(req) {
    for (const dataset of req.datasets) {
        if (dataset.cached || !dataset.pinned)
            continue;
        const label = `data/${dataset.name}`;
        try {
            dataset.saved = await req.cache.save(dataset.sha256, external_node_path_default().join(req.dataDir, dataset.name));
            if (dataset.saved)
                req.logger.info(`${label}: saved to ${req.cache.label} (sha256 ${dataset.sha256})`);
            else
                req.logger.warn(`${label} was not saved to ${req.cache.label} (see the message above); the next run downloads it again.`);
        }
        catch (err) {
            dataset.saved = false;
            req.logger.warn(`Could not save ${label} to ${req.cache.label}: ${err.message}. The job is packaged; the next run downloads it again.`);
        }
    }
}

;// CONCATENATED MODULE: ./src/core/fs/disk-full.ts
/**
 * A full disk, said as such whichever step hit it. The fetch writes with git
 * (init, config, fetch, checkout), the downloads, the renderer and the
 * archive writer all write into the same output folder, and the checkout and
 * the downloads run at once: the download can fill the disk and git's next
 * small write fail first, with git's own words ("failed to write new
 * configuration file …/config.lock", no errno). So an error is a full disk
 * when it says so (ENOSPC/EDQUOT, "No space left on device", "Disk quota
 * exceeded", anywhere in its cause chain), or when it is a failed write and
 * the file system holding the folder has (almost) no room left at that
 * moment — checked before the other branch is cancelled and frees its
 * partial file.
 */


/** The disk holding the output folder is full: what the user must read, whatever step hit it. */
class DiskFullError extends OutputError {
    folder;
    detail;
    constructor(
    /** The folder on the full file system. */
    folder, 
    /** What the step that hit it said (its first line). */
    detail, options) {
        super(`The disk holding ${folder} is full (no space left on the device): free some space there, or choose another output folder. (${detail})`, options);
        this.folder = folder;
        this.detail = detail;
        this.name = 'DiskFullError';
    }
}
// git's own words include "Out of diskspace" (a failed pack index or index.lock write).
const SAYS_FULL = /ENOSPC|EDQUOT|no space left on (?:the )?device|disk quota exceeded|out of diskspace/i;
// What git and other tools print when a write fails without naming the errno (git config: "failed to write new
// configuration file …config.lock"; checkout: "unable to write file"; "write error"; "cannot copy").
const WRITE_FAILED = /(?:could not|failed to|unable to|cannot) (?:write|copy|create)|write error|short write|\.lock\b|index-pack|unpack-objects/i;
/** Below this many free bytes, a failed write is taken for a full disk. */
const NEARLY_FULL = 1024 * 1024;
function chain(err) {
    const out = [];
    for (let e = err; e !== undefined && e !== null && out.length < 10; e = e.cause)
        out.push(e);
    return out;
}
function disk_full_text(e) {
    const code = e?.code;
    return `${code ?? ''} ${e instanceof Error ? e.message : String(e)}`;
}
/** Free bytes for an unprivileged writer on the file system holding `folder`; undefined if it cannot be read. */
async function freeBytes(folder) {
    try {
        const s = await (0,promises_namespaceObject.statfs)(folder);
        return s.bavail * s.bsize;
    }
    catch {
        return undefined;
    }
}
/** `err` as a DiskFullError naming `folder` when it comes from a full disk; otherwise `err` itself. */
async function asDiskFull(err, folder) {
    if (err instanceof DiskFullError)
        return err;
    const errors = chain(err);
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    if (errors.some((e) => SAYS_FULL.test(disk_full_text(e))))
        return new DiskFullError(folder, first, { cause: err });
    if (errors.some((e) => WRITE_FAILED.test(disk_full_text(e)))) {
        const free = await freeBytes(folder);
        if (free !== undefined && free < NEARLY_FULL)
            return new DiskFullError(folder, first, { cause: err });
    }
    return err;
}

;// CONCATENATED MODULE: ./src/core/fs/job-output.ts
/**
 * The output folder's transaction: everything is built in a hidden staging
 * folder and a temporary archive beside the final paths, and only renamed into
 * `{out}/{job_id}/` and `{out}/{job_id}.tar.gz` once complete. A failure at
 * any point (error, signal, full disk) discards both, so a job folder or an
 * archive that exists under its final name is always whole.
 *
 * A run that is killed outright (SIGKILL, a power cut) cannot discard
 * anything. So each run leaves an owner file beside its partial paths,
 * `.{id}.partial-{hex}.owner`, naming its host, pid and start time, and every
 * run removes the partial paths of owners that are gone: same host, and no
 * process with that pid and start time. The owner file is beside the staging
 * folder, not in it, because that folder becomes the job and is packed. A
 * partial folder without an owner file (or from another host sharing the
 * output folder) is left alone: nothing says who else might be writing there.
 */








const OWNER = /^\.(.+)\.partial-([0-9a-f]{12})\.owner$/;
class JobOutput {
    outDir;
    jobId;
    stagingDir;
    archiveTemp;
    ownerFile;
    jobDir;
    archivePath;
    committed = false;
    constructor(outDir, jobId, 
    /** Where the job folder is built. */
    stagingDir, 
    /** Where the archive is written before it is renamed. */
    archiveTemp, 
    /** This run's owner file (see the top of this file). */
    ownerFile) {
        this.outDir = outDir;
        this.jobId = jobId;
        this.stagingDir = stagingDir;
        this.archiveTemp = archiveTemp;
        this.ownerFile = ownerFile;
        this.jobDir = external_node_path_default().join(outDir, jobId);
        this.archivePath = external_node_path_default().join(outDir, `${jobId}.tar.gz`);
    }
    static async open(outDirOption, jobId, logger) {
        const outDir = external_node_path_default().resolve(outDirOption);
        try {
            await (0,promises_namespaceObject.mkdir)(outDir, { recursive: true });
            const st = await (0,promises_namespaceObject.lstat)(outDir);
            if (!st.isDirectory() && !st.isSymbolicLink())
                throw new OutputError(`The output folder ${outDir} is not a folder.`);
            await (0,promises_namespaceObject.access)(outDir, promises_namespaceObject.constants.W_OK);
        }
        catch (err) {
            if (err instanceof OutputError)
                throw err;
            throw new OutputError(`The output folder ${outDir} cannot be used: ${describeFsError(err)}.`, { cause: err });
        }
        for (const final of [external_node_path_default().join(outDir, jobId), external_node_path_default().join(outDir, `${jobId}.tar.gz`)]) {
            const exists = await (0,promises_namespaceObject.lstat)(final).then(() => true, () => false);
            if (exists) {
                throw new OutputError(`${final} already exists. Job ids name their output: choose another job_id, or remove the old job first.`);
            }
        }
        await removeStale(outDir, logger);
        const suffix = (0,external_node_crypto_namespaceObject.randomBytes)(6).toString('hex');
        const { stagingDir, archiveTemp, ownerFile } = partialPaths(outDir, jobId, suffix);
        try {
            // The owner file first: a run killed right after it leaves nothing unclaimed.
            await (0,promises_namespaceObject.writeFile)(ownerFile, JSON.stringify(currentOwner()) + '\n', { flag: 'wx', mode: 0o644 });
            await (0,promises_namespaceObject.mkdir)(stagingDir, { mode: 0o700 });
        }
        catch (err) {
            await (0,promises_namespaceObject.rm)(ownerFile, { force: true });
            const full = await asDiskFull(err, outDir);
            if (full instanceof DiskFullError)
                throw full;
            throw new OutputError(`Could not create a staging folder in ${outDir}: ${describeFsError(err)}.`, { cause: err });
        }
        return new JobOutput(outDir, jobId, stagingDir, archiveTemp, ownerFile);
    }
    /** Renames the staging folder and the archive to their final names. */
    async commit() {
        try {
            await (0,promises_namespaceObject.rename)(this.stagingDir, this.jobDir);
        }
        catch (err) {
            throw new OutputError(`Could not move the job folder into place at ${this.jobDir}: ${describeFsError(err)}.`, { cause: err });
        }
        try {
            await (0,promises_namespaceObject.rename)(this.archiveTemp, this.archivePath);
        }
        catch (err) {
            await (0,promises_namespaceObject.rm)(this.jobDir, { recursive: true, force: true });
            throw new OutputError(`Could not move the archive into place at ${this.archivePath}: ${describeFsError(err)}.`, { cause: err });
        }
        this.committed = true;
        await (0,promises_namespaceObject.rm)(this.ownerFile, { force: true });
    }
    /** Removes everything this run wrote, unless it was committed. */
    async discard() {
        if (this.committed)
            return;
        await (0,promises_namespaceObject.rm)(this.stagingDir, { recursive: true, force: true });
        await (0,promises_namespaceObject.rm)(this.archiveTemp, { force: true });
        await (0,promises_namespaceObject.rm)(this.ownerFile, { force: true });
    }
}
function partialPaths(outDir, jobId, suffix) {
    return {
        stagingDir: external_node_path_default().join(outDir, `.${jobId}.partial-${suffix}`),
        archiveTemp: external_node_path_default().join(outDir, `.${jobId}.tar.gz.partial-${suffix}`),
        ownerFile: external_node_path_default().join(outDir, `.${jobId}.partial-${suffix}.owner`)
    };
}
function currentOwner() {
    return { host: external_node_os_default().hostname(), pid: process.pid, start: startTime(process.pid) };
}
/** Linux only: field 22 of /proc/<pid>/stat, which tells a reused pid from the process that held it before. */
function startTime(pid) {
    if (process.platform !== 'linux')
        return null;
    try {
        const stat = (0,external_node_fs_namespaceObject.readFileSync)(`/proc/${pid}/stat`, 'utf8');
        // Fields after "(comm)", which may itself hold spaces and parentheses; starttime is the 20th of them.
        return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
    }
    catch {
        return null;
    }
}
/** True when the process that wrote `owner` has certainly ended. */
function ownerGone(owner) {
    if (owner.host !== external_node_os_default().hostname())
        return false;
    if (owner.pid === process.pid)
        return owner.start !== startTime(process.pid);
    try {
        process.kill(owner.pid, 0);
    }
    catch (err) {
        // EPERM: a process of another user holds the pid, so it is alive (and not ours).
        return err.code === 'ESRCH';
    }
    // The pid is alive: it is still the owner unless its start time shows that the pid was reused.
    return owner.start !== null && startTime(owner.pid) !== owner.start;
}
/** Removes the partial paths left by runs on this host that were killed before they could clean up. */
async function removeStale(outDir, logger) {
    let names;
    try {
        names = await (0,promises_namespaceObject.readdir)(outDir);
    }
    catch {
        return;
    }
    for (const name of names) {
        const m = OWNER.exec(name);
        if (!m)
            continue;
        let owner;
        try {
            owner = JSON.parse(await (0,promises_namespaceObject.readFile)(external_node_path_default().join(outDir, name), 'utf8'));
        }
        catch {
            continue;
        }
        if (typeof owner.pid !== 'number' || !ownerGone(owner))
            continue;
        const stale = partialPaths(outDir, m[1], m[2]);
        try {
            await (0,promises_namespaceObject.rm)(stale.stagingDir, { recursive: true, force: true });
            await (0,promises_namespaceObject.rm)(stale.archiveTemp, { force: true });
            await (0,promises_namespaceObject.rm)(stale.ownerFile, { force: true });
            logger?.info(`Removed ${external_node_path_default().basename(stale.stagingDir)} from ${outDir}: left by an earlier run (process ${owner.pid}) that ended without cleaning up.`);
        }
        catch (err) {
            logger?.warn(`Could not remove ${stale.stagingDir}, left by an earlier run: ${describeFsError(err)}.`);
        }
    }
}

;// CONCATENATED MODULE: external "node:dns/promises"
const external_node_dns_promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns/promises");
var external_node_dns_promises_default = /*#__PURE__*/__nccwpck_require__.n(external_node_dns_promises_namespaceObject);
;// CONCATENATED MODULE: ./src/core/net/git-address.ts
/**
 * The private-network rule for the git remote, the same one datasets follow
 * (`download/address-policy.ts`): with the block on, an http(s) `git_url`
 * whose host is, or resolves to, a loopback, private, link-local or reserved
 * address is refused before git runs.
 *
 * Checking a name and then letting git resolve it again would leave a gap (a
 * DNS answer that changes in between: rebinding), so the addresses checked
 * are handed to git as `http.curloptResolve` (`host:port:addr,…`): curl then
 * connects to exactly those and never asks DNS itself. git never follows a
 * redirect either (see git-command-manager.ts), so no other host is reached.
 *
 * ssh remotes are not checked: the host in an ssh URL is a name for ssh, which
 * the runner's ssh config may map to another host name, a port or a jump host,
 * so the address it connects to cannot be known (or pinned) from here. They
 * need `allow-protocols` to include ssh, which only the workflow or the CLI's
 * user can set.
 */




const defaultLookup = async (hostname) => (await external_node_dns_promises_default().lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);
/** Resolves the remote's host, refuses it when the block applies, and returns the pin for git. */
async function checkGitAddress(req) {
    const { source } = req;
    if (source.protocol !== 'http' && source.protocol !== 'https')
        return {};
    const url = new URL(source.url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    // An IP literal needs no lookup and no pin: curl connects to it as written.
    if (external_node_net_default().isIP(host)) {
        refuseIfBlocked(req, url.hostname, [host]);
        return {};
    }
    let addresses;
    try {
        addresses = await (req.lookup ?? defaultLookup)(host);
    }
    catch (err) {
        throw new GitError(`Could not resolve the host of ${url.origin}: ${err.message}`, { cause: err });
    }
    if (addresses.length === 0)
        throw new GitError(`The host of ${url.origin} has no address.`);
    refuseIfBlocked(req, url.hostname, addresses);
    // IPv6 addresses go in brackets in a curl resolve entry.
    const list = addresses.map((a) => (external_node_net_default().isIPv6(a) ? `[${a}]` : a)).join(',');
    return { resolve: `${url.hostname}:${port}:${list}` };
}
function refuseIfBlocked(req, hostname, addresses) {
    if (req.allowPrivateNetwork)
        return;
    const bad = addresses.find((a) => isNonPublicAddress(a));
    if (bad === undefined)
        return;
    throw new GitError(`Refused to connect to ${hostname} (${bad}) for ${req.role ?? 'git_url'}: it is a loopback, private, link-local or reserved address. Repositories must be on public addresses unless the private-network block is turned off (to allow it: ${req.names('allowPrivateNetwork', 'true')}).`);
}

;// CONCATENATED MODULE: ./src/core/git/commit-time.ts
/**
 * The commit's committer time, as the package records it: every entry's tar
 * mtime, `commit_time` in job.json and the Dockerfile's created label. git
 * stores any 64-bit number there, and a repository can claim the year
 * 3170843; a JavaScript Date cannot hold that (toISOString throws), and ISO
 * 8601 dates past 9999 need a sign and six digits that the label check and
 * many readers refuse. So the time is clamped to 1970-01-01T00:00:00Z …
 * 9999-12-31T23:59:59Z: the package stays reproducible (the same commit gives
 * the same clamped time) and every reader can read it. The caller says so in
 * the log when it happens.
 */
/** 9999-12-31T23:59:59Z, in seconds since the epoch. */
const LATEST_COMMIT_TIME = Date.UTC(9999, 11, 31, 23, 59, 59) / 1000;
/** `seconds` within 0 … LATEST_COMMIT_TIME (what is not a number at all becomes 0). */
function clampCommitTime(seconds) {
    if (Number.isNaN(seconds) || seconds < 0)
        return 0;
    if (seconds > LATEST_COMMIT_TIME)
        return LATEST_COMMIT_TIME;
    return Math.floor(seconds);
}

;// CONCATENATED MODULE: ./node_modules/@actions/io/lib/io-util.js
var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const { chmod, copyFile, lstat, mkdir, open: io_util_open, readdir, rename, rm, rmdir, stat, symlink, unlink } = external_fs_namespaceObject.promises;
// export const {open} = 'fs'
const IS_WINDOWS = process.platform === 'win32';
/**
 * Custom implementation of readlink to ensure Windows junctions
 * maintain trailing backslash for backward compatibility with Node.js < 24
 *
 * In Node.js 20, Windows junctions (directory symlinks) always returned paths
 * with trailing backslashes. Node.js 24 removed this behavior, which breaks
 * code that relied on this format for path operations.
 *
 * This implementation restores the Node 20 behavior by adding a trailing
 * backslash to all junction results on Windows.
 */
function readlink(fsPath) {
    return __awaiter(this, void 0, void 0, function* () {
        const result = yield fs.promises.readlink(fsPath);
        // On Windows, restore Node 20 behavior: add trailing backslash to all results
        // since junctions on Windows are always directory links
        if (IS_WINDOWS && !result.endsWith('\\')) {
            return `${result}\\`;
        }
        return result;
    });
}
// See https://github.com/nodejs/node/blob/d0153aee367422d0858105abec186da4dff0a0c5/deps/uv/include/uv/win.h#L691
const UV_FS_O_EXLOCK = 0x10000000;
const READONLY = external_fs_namespaceObject.constants.O_RDONLY;
function exists(fsPath) {
    return __awaiter(this, void 0, void 0, function* () {
        try {
            yield stat(fsPath);
        }
        catch (err) {
            if (err.code === 'ENOENT') {
                return false;
            }
            throw err;
        }
        return true;
    });
}
function isDirectory(fsPath_1) {
    return __awaiter(this, arguments, void 0, function* (fsPath, useStat = false) {
        const stats = useStat ? yield stat(fsPath) : yield lstat(fsPath);
        return stats.isDirectory();
    });
}
/**
 * On OSX/Linux, true if path starts with '/'. On Windows, true for paths like:
 * \, \hello, \\hello\share, C:, and C:\hello (and corresponding alternate separator cases).
 */
function isRooted(p) {
    p = normalizeSeparators(p);
    if (!p) {
        throw new Error('isRooted() parameter "p" cannot be empty');
    }
    if (IS_WINDOWS) {
        return (p.startsWith('\\') || /^[A-Z]:/i.test(p) // e.g. \ or \hello or \\hello
        ); // e.g. C: or C:\hello
    }
    return p.startsWith('/');
}
/**
 * Best effort attempt to determine whether a file exists and is executable.
 * @param filePath    file path to check
 * @param extensions  additional file extensions to try
 * @return if file exists and is executable, returns the file path. otherwise empty string.
 */
function tryGetExecutablePath(filePath, extensions) {
    return __awaiter(this, void 0, void 0, function* () {
        let stats = undefined;
        try {
            // test file exists
            stats = yield stat(filePath);
        }
        catch (err) {
            if (err.code !== 'ENOENT') {
                // eslint-disable-next-line no-console
                console.log(`Unexpected error attempting to determine if executable file exists '${filePath}': ${err}`);
            }
        }
        if (stats && stats.isFile()) {
            if (IS_WINDOWS) {
                // on Windows, test for valid extension
                const upperExt = external_path_namespaceObject.extname(filePath).toUpperCase();
                if (extensions.some(validExt => validExt.toUpperCase() === upperExt)) {
                    return filePath;
                }
            }
            else {
                if (isUnixExecutable(stats)) {
                    return filePath;
                }
            }
        }
        // try each extension
        const originalFilePath = filePath;
        for (const extension of extensions) {
            filePath = originalFilePath + extension;
            stats = undefined;
            try {
                stats = yield stat(filePath);
            }
            catch (err) {
                if (err.code !== 'ENOENT') {
                    // eslint-disable-next-line no-console
                    console.log(`Unexpected error attempting to determine if executable file exists '${filePath}': ${err}`);
                }
            }
            if (stats && stats.isFile()) {
                if (IS_WINDOWS) {
                    // preserve the case of the actual file (since an extension was appended)
                    try {
                        const directory = external_path_namespaceObject.dirname(filePath);
                        const upperName = external_path_namespaceObject.basename(filePath).toUpperCase();
                        for (const actualName of yield readdir(directory)) {
                            if (upperName === actualName.toUpperCase()) {
                                filePath = external_path_namespaceObject.join(directory, actualName);
                                break;
                            }
                        }
                    }
                    catch (err) {
                        // eslint-disable-next-line no-console
                        console.log(`Unexpected error attempting to determine the actual case of the file '${filePath}': ${err}`);
                    }
                    return filePath;
                }
                else {
                    if (isUnixExecutable(stats)) {
                        return filePath;
                    }
                }
            }
        }
        return '';
    });
}
function normalizeSeparators(p) {
    p = p || '';
    if (IS_WINDOWS) {
        // convert slashes on Windows
        p = p.replace(/\//g, '\\');
        // remove redundant slashes
        return p.replace(/\\\\+/g, '\\');
    }
    // remove redundant slashes
    return p.replace(/\/\/+/g, '/');
}
// on Mac/Linux, test the execute bit
//     R   W  X  R  W X R W X
//   256 128 64 32 16 8 4 2 1
function isUnixExecutable(stats) {
    return ((stats.mode & 1) > 0 ||
        ((stats.mode & 8) > 0 &&
            process.getgid !== undefined &&
            stats.gid === process.getgid()) ||
        ((stats.mode & 64) > 0 &&
            process.getuid !== undefined &&
            stats.uid === process.getuid()));
}
// Get the path of cmd.exe in windows
function getCmdPath() {
    var _a;
    return (_a = process.env['COMSPEC']) !== null && _a !== void 0 ? _a : `cmd.exe`;
}
//# sourceMappingURL=io-util.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/io/lib/io.js
var io_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};



/**
 * Copies a file or folder.
 * Based off of shelljs - https://github.com/shelljs/shelljs/blob/9237f66c52e5daa40458f94f9565e18e8132f5a6/src/cp.js
 *
 * @param     source    source path
 * @param     dest      destination path
 * @param     options   optional. See CopyOptions.
 */
function cp(source_1, dest_1) {
    return io_awaiter(this, arguments, void 0, function* (source, dest, options = {}) {
        const { force, recursive, copySourceDirectory } = readCopyOptions(options);
        const destStat = (yield ioUtil.exists(dest)) ? yield ioUtil.stat(dest) : null;
        // Dest is an existing file, but not forcing
        if (destStat && destStat.isFile() && !force) {
            return;
        }
        // If dest is an existing directory, should copy inside.
        const newDest = destStat && destStat.isDirectory() && copySourceDirectory
            ? path.join(dest, path.basename(source))
            : dest;
        if (!(yield ioUtil.exists(source))) {
            throw new Error(`no such file or directory: ${source}`);
        }
        const sourceStat = yield ioUtil.stat(source);
        if (sourceStat.isDirectory()) {
            if (!recursive) {
                throw new Error(`Failed to copy. ${source} is a directory, but tried to copy without recursive flag.`);
            }
            else {
                yield cpDirRecursive(source, newDest, 0, force);
            }
        }
        else {
            if (path.relative(source, newDest) === '') {
                // a file cannot be copied to itself
                throw new Error(`'${newDest}' and '${source}' are the same file`);
            }
            yield io_copyFile(source, newDest, force);
        }
    });
}
/**
 * Moves a path.
 *
 * @param     source    source path
 * @param     dest      destination path
 * @param     options   optional. See MoveOptions.
 */
function mv(source_1, dest_1) {
    return io_awaiter(this, arguments, void 0, function* (source, dest, options = {}) {
        if (yield ioUtil.exists(dest)) {
            let destExists = true;
            if (yield ioUtil.isDirectory(dest)) {
                // If dest is directory copy src into dest
                dest = path.join(dest, path.basename(source));
                destExists = yield ioUtil.exists(dest);
            }
            if (destExists) {
                if (options.force == null || options.force) {
                    yield rmRF(dest);
                }
                else {
                    throw new Error('Destination already exists');
                }
            }
        }
        yield mkdirP(path.dirname(dest));
        yield ioUtil.rename(source, dest);
    });
}
/**
 * Remove a path recursively with force
 *
 * @param inputPath path to remove
 */
function rmRF(inputPath) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (ioUtil.IS_WINDOWS) {
            // Check for invalid characters
            // https://docs.microsoft.com/en-us/windows/win32/fileio/naming-a-file
            if (/[*"<>|]/.test(inputPath)) {
                throw new Error('File path must not contain `*`, `"`, `<`, `>` or `|` on Windows');
            }
        }
        try {
            // note if path does not exist, error is silent
            yield ioUtil.rm(inputPath, {
                force: true,
                maxRetries: 3,
                recursive: true,
                retryDelay: 300
            });
        }
        catch (err) {
            throw new Error(`File was unable to be removed ${err}`);
        }
    });
}
/**
 * Make a directory.  Creates the full path with folders in between
 * Will throw if it fails
 *
 * @param   fsPath        path to create
 * @returns Promise<void>
 */
function mkdirP(fsPath) {
    return io_awaiter(this, void 0, void 0, function* () {
        ok(fsPath, 'a path argument must be provided');
        yield ioUtil.mkdir(fsPath, { recursive: true });
    });
}
/**
 * Returns path of a tool had the tool actually been invoked.  Resolves via paths.
 * If you check and the tool does not exist, it will throw.
 *
 * @param     tool              name of the tool
 * @param     check             whether to check if tool exists
 * @returns   Promise<string>   path to tool
 */
function which(tool, check) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (!tool) {
            throw new Error("parameter 'tool' is required");
        }
        // recursive when check=true
        if (check) {
            const result = yield which(tool, false);
            if (!result) {
                if (IS_WINDOWS) {
                    throw new Error(`Unable to locate executable file: ${tool}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also verify the file has a valid extension for an executable file.`);
                }
                else {
                    throw new Error(`Unable to locate executable file: ${tool}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also check the file mode to verify the file is executable.`);
                }
            }
            return result;
        }
        const matches = yield findInPath(tool);
        if (matches && matches.length > 0) {
            return matches[0];
        }
        return '';
    });
}
/**
 * Returns a list of all occurrences of the given tool on the system path.
 *
 * @returns   Promise<string[]>  the paths of the tool
 */
function findInPath(tool) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (!tool) {
            throw new Error("parameter 'tool' is required");
        }
        // build the list of extensions to try
        const extensions = [];
        if (IS_WINDOWS && process.env['PATHEXT']) {
            for (const extension of process.env['PATHEXT'].split(external_path_namespaceObject.delimiter)) {
                if (extension) {
                    extensions.push(extension);
                }
            }
        }
        // if it's rooted, return it if exists. otherwise return empty.
        if (isRooted(tool)) {
            const filePath = yield tryGetExecutablePath(tool, extensions);
            if (filePath) {
                return [filePath];
            }
            return [];
        }
        // if any path separators, return empty
        if (tool.includes(external_path_namespaceObject.sep)) {
            return [];
        }
        // build the list of directories
        //
        // Note, technically "where" checks the current directory on Windows. From a toolkit perspective,
        // it feels like we should not do this. Checking the current directory seems like more of a use
        // case of a shell, and the which() function exposed by the toolkit should strive for consistency
        // across platforms.
        const directories = [];
        if (process.env.PATH) {
            for (const p of process.env.PATH.split(external_path_namespaceObject.delimiter)) {
                if (p) {
                    directories.push(p);
                }
            }
        }
        // find all matches
        const matches = [];
        for (const directory of directories) {
            const filePath = yield tryGetExecutablePath(external_path_namespaceObject.join(directory, tool), extensions);
            if (filePath) {
                matches.push(filePath);
            }
        }
        return matches;
    });
}
function readCopyOptions(options) {
    const force = options.force == null ? true : options.force;
    const recursive = Boolean(options.recursive);
    const copySourceDirectory = options.copySourceDirectory == null
        ? true
        : Boolean(options.copySourceDirectory);
    return { force, recursive, copySourceDirectory };
}
function cpDirRecursive(sourceDir, destDir, currentDepth, force) {
    return io_awaiter(this, void 0, void 0, function* () {
        // Ensure there is not a run away recursive copy
        if (currentDepth >= 255)
            return;
        currentDepth++;
        yield mkdirP(destDir);
        const files = yield ioUtil.readdir(sourceDir);
        for (const fileName of files) {
            const srcFile = `${sourceDir}/${fileName}`;
            const destFile = `${destDir}/${fileName}`;
            const srcFileStat = yield ioUtil.lstat(srcFile);
            if (srcFileStat.isDirectory()) {
                // Recurse
                yield cpDirRecursive(srcFile, destFile, currentDepth, force);
            }
            else {
                yield io_copyFile(srcFile, destFile, force);
            }
        }
        // Change the mode for the newly created directory
        yield ioUtil.chmod(destDir, (yield ioUtil.stat(sourceDir)).mode);
    });
}
// Buffered file copy
function io_copyFile(srcFile, destFile, force) {
    return io_awaiter(this, void 0, void 0, function* () {
        if ((yield ioUtil.lstat(srcFile)).isSymbolicLink()) {
            // unlink/re-link it
            try {
                yield ioUtil.lstat(destFile);
                yield ioUtil.unlink(destFile);
            }
            catch (e) {
                // Try to override file permission
                if (e.code === 'EPERM') {
                    yield ioUtil.chmod(destFile, '0666');
                    yield ioUtil.unlink(destFile);
                }
                // other errors = it doesn't exist, no work to do
            }
            // Copy over symlink
            const symlinkFull = yield ioUtil.readlink(srcFile);
            yield ioUtil.symlink(symlinkFull, destFile, ioUtil.IS_WINDOWS ? 'junction' : null);
        }
        else if (!(yield ioUtil.exists(destFile)) || force) {
            yield ioUtil.copyFile(srcFile, destFile);
        }
    });
}
//# sourceMappingURL=io.js.map
;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
;// CONCATENATED MODULE: ./src/core/process.ts
/**
 * Runs a program with an argument array (never a shell string), collecting its
 * output, and kills it when the signal fires. We use node:child_process rather
 * than @actions/exec here because the packager must be able to kill a stalled
 * git on its deadline or on SIGINT/SIGTERM, and @actions/exec offers no way to
 * do that (see README, "Hand-written parts").
 *
 * Children stay in our process group (no `detached`): whoever stops the
 * packager by killing its group (a cancelled runner after its grace period,
 * Ctrl-C in a terminal) stops git and its helpers with it, even with SIGKILL,
 * which leaves us no chance to clean up. A child in a group of its own would
 * outlive us and keep fetching. Since we cannot kill our own group on abort,
 * an abort kills the child's process tree instead (processTree below).
 */



/** stderr is only shown (its last lines, in messages): its tail is enough. */
const MAX_STDERR = 256 * 1024;
/**
 * stdout is parsed, so it is kept whole: output larger than this fails the
 * run rather than being cut (a caller that expects more streams it with
 * `onStdout`).
 */
const MAX_STDOUT = 64 * 1024 * 1024;
function runProcess(file, args, options = {}) {
    return new Promise((resolve, reject) => {
        if (options.signal?.aborted) {
            reject(abortReason(options.signal));
            return;
        }
        const child = (0,external_node_child_process_namespaceObject.spawn)(file, args, {
            cwd: options.cwd,
            env: options.env,
            stdio: ['ignore', 'pipe', 'pipe']
        });
        let stdout = '';
        let stderr = '';
        let overflow;
        const kill = () => {
            if (child.pid !== undefined)
                killTree(child.pid);
            else
                child.kill('SIGKILL');
        };
        child.stdout.setEncoding('utf8').on('data', (chunk) => {
            if (options.onStdout)
                return options.onStdout(chunk);
            if (overflow)
                return;
            if (stdout.length + chunk.length > MAX_STDOUT) {
                overflow = new Error(`${file} printed more than ${MAX_STDOUT} bytes`);
                kill();
                return;
            }
            stdout += chunk;
        });
        child.stderr.setEncoding('utf8').on('data', (chunk) => {
            stderr = (stderr + chunk).slice(-MAX_STDERR);
            options.onStderr?.(chunk);
        });
        options.signal?.addEventListener('abort', kill, { once: true });
        child.on('error', (err) => {
            options.signal?.removeEventListener('abort', kill);
            reject(err);
        });
        child.on('close', (code, sig) => {
            options.signal?.removeEventListener('abort', kill);
            if (options.signal?.aborted)
                reject(abortReason(options.signal));
            else if (overflow)
                reject(overflow);
            else
                resolve({ code: code ?? (sig ? 128 : 1), stdout, stderr });
        });
    });
}
/**
 * Kills `pid` and everything it started (git → git-remote-https → git
 * fetch-pack…). On Linux the tree is read from /proc; each process found is
 * stopped first, so none can start another one or be reparented out of reach
 * while the tree is being collected, then all are killed. Elsewhere only the
 * child itself is killed; its helpers end when their pipes close.
 */
function killTree(pid) {
    const found = processTree(pid);
    for (const p of found)
        signal(p, 'SIGKILL');
}
function processTree(root) {
    const found = [root];
    if (process.platform !== 'linux')
        return found;
    signal(root, 'SIGSTOP');
    for (let grew = true; grew;) {
        grew = false;
        for (const [pid, ppid] of parentsOfAll()) {
            if (found.includes(ppid) && !found.includes(pid)) {
                signal(pid, 'SIGSTOP');
                found.push(pid);
                grew = true;
            }
        }
    }
    return found;
}
/** [pid, parent pid] of every process we can see. */
function parentsOfAll() {
    const pairs = [];
    let entries;
    try {
        entries = (0,external_node_fs_namespaceObject.readdirSync)('/proc');
    }
    catch {
        return pairs;
    }
    for (const name of entries) {
        if (!/^\d+$/.test(name))
            continue;
        try {
            const stat = (0,external_node_fs_namespaceObject.readFileSync)(`/proc/${name}/stat`, 'utf8');
            // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
            const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
            pairs.push([Number(name), ppid]);
        }
        catch {
            // Gone meanwhile.
        }
    }
    return pairs;
}
function signal(pid, sig) {
    try {
        process.kill(pid, sig);
    }
    catch {
        // Already gone.
    }
}

;// CONCATENATED MODULE: ./src/core/git/fetch-progress.ts

const STEP = /^(Receiving objects|Unpacking objects|Resolving deltas): +\d+% \((\d+)\/(\d+)\)(?:, ([\d.]+) (bytes?|KiB|MiB|GiB|TiB)(?: \| [\d.]+ (?:bytes?|KiB|MiB|GiB|TiB)\/s)?)?(, done\.)?\s*$/;
const UNIT = { byte: 1, bytes: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 };
/** A "line" longer than this without an end is not progress; it is dropped rather than kept growing. */
const MAX_PARTIAL = 4096;
/** Feeds on a fetch's stderr as it arrives; `end()` closes what is still open. */
class FetchProgress {
    logger;
    label;
    onBytes;
    partial = '';
    steps = new Map();
    constructor(logger, label = 'code', 
    /** Called with the bytes received so far, each time git reports them. */
    onBytes) {
        this.logger = logger;
        this.label = label;
        this.onBytes = onBytes;
    }
    /** A chunk of stderr, cut anywhere (even inside a line). */
    push(chunk) {
        const pieces = (this.partial + chunk).split(/\r\n?|\n/);
        this.partial = pieces.pop() ?? '';
        if (this.partial.length > MAX_PARTIAL)
            this.partial = '';
        for (const piece of pieces)
            this.line(piece);
    }
    /** The fetch is over: steps git did not close are finished (`ok`) or dropped. */
    end(ok) {
        for (const step of this.steps.values()) {
            if (ok)
                step.finish();
            else
                step.fail();
        }
        this.steps.clear();
    }
    line(text) {
        const m = STEP.exec(text);
        if (!m)
            return;
        const [, name = '', doneText, totalText, amount, unit = 'bytes', closed] = m;
        const step = name.toLowerCase();
        const done = Number(doneText);
        const total = Number(totalText);
        const bytes = amount === undefined ? undefined : Math.round(Number(amount) * (UNIT[unit] ?? 1));
        if (bytes !== undefined && step !== 'resolving deltas')
            this.onBytes?.(bytes);
        let tracker = this.steps.get(step);
        if (!tracker) {
            tracker = trackProgress(this.logger, { phase: 'fetch', label: this.label, step, unit: 'objects', total });
            this.steps.set(step, tracker);
        }
        tracker.update(done, { total, bytes });
        if (closed) {
            tracker.finish();
            this.steps.delete(step);
        }
    }
}
/**
 * stderr without progress: of each line only what a terminal would show last
 * (the text after its last carriage return), and no line shaped like a
 * progress step (`Step: 45% (450/1000)…`, `Step: 1000, done.`, with or
 * without `remote: `). Error messages are then read from git's own words,
 * whatever steps a git version or a server reports.
 */
function withoutProgress(stderr) {
    return stderr
        .split(/\r?\n/)
        .map((line) => line.slice(line.lastIndexOf('\r') + 1))
        .filter((line) => !/^(remote: )?[A-Z][a-z]*( [a-z]+)*: +(\d+% \(\d+\/\d+\)|\d+, done\.)/.test(line))
        .join('\n');
}

;// CONCATENATED MODULE: ./src/core/git/git-command-manager.ts
/**
 * The only place that runs git. Every call goes through `git()` below, which
 * pins a hardened environment:
 * - no prompts (a missing credential fails at once instead of hanging);
 * - no system or global config (a runner's `insteadOf`, credential helpers or
 *   filters must not change what we fetch), no hooks, no submodules, no LFS
 *   smudge (git-lfs runs only `git lfs version` and an offline `git lfs
 *   checkout` of objects our own client fetched and verified, see lfs.ts);
 * - a transport allow-list (GIT_ALLOW_PROTOCOL), so even a URL that slipped
 *   past validation cannot reach `ext::` or a local path;
 * - the token, if any, as an `http.<origin>/.extraheader` given to git in its
 *   environment (GIT_CONFIG_COUNT/KEY/VALUE) — never in argv, a URL, the
 *   repository's config or any file, so nothing secret is left on disk even
 *   when the packager is killed without a chance to clean up;
 * - no HTTP redirects (`http.followRedirects=false`): git applies the header
 *   to every request of the remote, including those sent to wherever a
 *   redirect led (the origin scoping only compares the configured URL), and a
 *   redirect would also leave the address checked and pinned for the remote
 *   (`http.curloptResolve`, see net/git-address.ts). So the code comes from
 *   `git_url` and nowhere else, which is what job.json records.
 * Before any of that is used, `create` checks that this git is new enough for
 * the flags below (once per git binary per process).
 */







/** Options every git invocation gets, whatever the repository's or machine's config says. */
const HARDENING = [
    'core.hooksPath=/dev/null',
    'core.fsmonitor=false',
    'core.autocrlf=false',
    'core.symlinks=true',
    'submodule.recurse=false',
    'fetch.recurseSubmodules=false',
    'protocol.version=2',
    'gc.auto=0',
    'maintenance.auto=false',
    'advice.detachedHead=false',
    'init.defaultBranch=main',
    'http.lowSpeedLimit=1',
    'http.followRedirects=false',
    // Every pack through index-pack, which reports the bytes received as they come (the fetch budget reads them); unpack-objects, used for small packs, does not.
    'fetch.unpackLimit=1'
];
/** The oldest git with every flag used here: `init --object-format` and `fetch --no-write-fetch-head` arrived in 2.29. */
const MIN_GIT = { major: 2, minor: 29 };
const MIN_GIT_TEXT = `git ${MIN_GIT.major}.${MIN_GIT.minor} or newer`;
/** `git version` output per git binary, kept for the process: several checkouts in one run ask once. */
const gitVersions = new Map();
class GitCommandManager {
    gitPath;
    workDir;
    env;
    settings;
    constructor(gitPath, workDir, env, settings) {
        this.gitPath = gitPath;
        this.workDir = workDir;
        this.env = env;
        this.settings = settings;
    }
    /** Prepares git for one checkout into `workDir` (which must exist). */
    static async create(workDir, settings) {
        let gitPath;
        try {
            gitPath = await which('git', true);
        }
        catch {
            throw new GitError(`git was not found on PATH. Install ${MIN_GIT_TEXT} on the runner.`);
        }
        const env = {
            ...passThroughEnv(),
            LC_ALL: 'C',
            GIT_TERMINAL_PROMPT: '0',
            GCM_INTERACTIVE: 'never',
            GIT_ASKPASS: '',
            SSH_ASKPASS: '',
            GIT_CONFIG_NOSYSTEM: '1',
            // git maps /dev/null to NUL on Windows too.
            GIT_CONFIG_GLOBAL: '/dev/null',
            GIT_ALLOW_PROTOCOL: [...settings.allowProtocols].join(':'),
            GIT_LFS_SKIP_SMUDGE: '1',
            GIT_SSH_COMMAND: 'ssh -o BatchMode=yes',
            GIT_NO_REPLACE_OBJECTS: '1',
            GIT_HTTP_LOW_SPEED_TIME: String(settings.stallSeconds)
        };
        const config = [];
        if (settings.resolve)
            config.push(['http.curloptResolve', settings.resolve]);
        if (settings.token && settings.source.origin) {
            settings.redactor.add(settings.token);
            const header = Buffer.from(`x-access-token:${settings.token}`).toString('base64');
            // Scoped to the repository's origin, and only ever sent there: git follows no redirect (HARDENING).
            config.push([`http.${settings.source.origin}/.extraheader`, `AUTHORIZATION: basic ${header}`]);
        }
        // In the environment rather than `-c`: argv is visible to every user of the machine, a process's environment only to its owner.
        if (config.length) {
            env.GIT_CONFIG_COUNT = String(config.length);
            config.forEach(([key, value], i) => {
                env[`GIT_CONFIG_KEY_${i}`] = key;
                env[`GIT_CONFIG_VALUE_${i}`] = value;
            });
        }
        const manager = new GitCommandManager(gitPath, workDir, env, settings);
        await manager.requireSupportedVersion();
        return manager;
    }
    /** Fails with a GitError naming the version and path when this git is too old for the flags used here. */
    async requireSupportedVersion() {
        let output = gitVersions.get(this.gitPath);
        if (output === undefined) {
            // Through the hardened runner like every other call; only a completed run is kept, never a spawn failure or an abort.
            output = (await this.run(['version'])).stdout;
            gitVersions.set(this.gitPath, output);
        }
        const version = checkGitVersion(output, this.gitPath);
        // Older gits ignore the key: the address was still checked, but git resolves the name again itself.
        if (this.settings.resolve && (version.major < 2 || (version.major === 2 && version.minor < 37)))
            this.settings.logger.warn(`git ${version.major}.${version.minor} cannot be told which address to connect to (http.curloptResolve needs git 2.37): the repository's host was checked, but git looks it up again itself.`);
    }
    /**
     * `git init` + `remote add`. A SHA-256 remote needs a SHA-256 repository
     * before the first fetch, so the object format is chosen up front (from the
     * commit's length, or from ls-remote for a short SHA); re-initialising is
     * allowed for that reason.
     */
    async init(objectFormat = 'sha1') {
        await (0,promises_namespaceObject.rm)(external_node_path_default().join(this.workDir, '.git'), { recursive: true, force: true });
        await this.run(['init', '--quiet', `--object-format=${objectFormat}`, '.']);
        await this.run(['remote', 'add', 'origin', '--', this.settings.source.url]);
    }
    /** `git fetch` of one commit, one level deep. Returns the result; the caller decides what a failure means. */
    fetchCommit(sha) {
        return this.fetch(['--no-tags', '--no-recurse-submodules', '--no-write-fetch-head', '--depth=1', 'origin', sha]);
    }
    /** Fetches every branch and tag with full history: the fallback for servers that refuse unadvertised SHAs. */
    fetchAll() {
        return this.fetch(['--no-recurse-submodules', '--no-write-fetch-head', '--tags', 'origin', '+refs/heads/*:refs/remotes/origin/*']);
    }
    /**
     * `git fetch`, with git's progress read as it comes: for progress updates
     * when the logger shows them, and for the bytes received, which stop the
     * fetch once over the budget (its error is thrown). The result's stderr
     * never holds progress, so a failure reads the same with it or without.
     */
    async fetch(args) {
        const budget = this.settings.fetchBudget;
        if (!this.settings.logger.progress && !budget)
            return this.git(['fetch', ...args]);
        const stop = new AbortController();
        const before = budget?.spent ?? 0;
        let received = 0;
        const progress = new FetchProgress(this.settings.logger, this.settings.progressLabel ?? 'code', (bytes) => {
            received = Math.max(received, bytes);
            if (budget && before + bytes > budget.bytes && !stop.signal.aborted)
                stop.abort(budget.exceeded());
        });
        let ok = false;
        try {
            const result = await this.git(['fetch', '--progress', ...args], { onStderr: (text) => progress.push(text), stop: stop.signal });
            ok = result.code === 0;
            return { ...result, stderr: withoutProgress(result.stderr) };
        }
        finally {
            progress.end(ok);
            if (budget)
                budget.spent = before + received;
        }
    }
    /** `ls-remote` of heads and tags: lets a short SHA that is a branch or tag tip resolve without history. */
    async lsRemote() {
        const result = await this.run(['ls-remote', '--heads', '--tags', 'origin']);
        return result.stdout
            .split('\n')
            .map((line) => line.split('\t'))
            .filter((parts) => parts.length === 2)
            .map(([sha, ref]) => ({ sha, ref }));
    }
    /** All commits in the local object store whose id starts with `prefix`. */
    async commitsWithPrefix(prefix) {
        const result = await this.git(['rev-parse', '--disambiguate=' + prefix]);
        const candidates = result.code === 0 ? result.stdout.split('\n').filter(Boolean) : [];
        const commits = [];
        for (const sha of candidates) {
            const type = await this.git(['cat-file', '-t', sha]);
            if (type.stdout.trim() === 'commit')
                commits.push(sha);
        }
        return commits;
    }
    async hasCommit(sha) {
        const result = await this.git(['cat-file', '-e', `${sha}^{commit}`]);
        return result.code === 0;
    }
    /**
     * Size and file count of the commit's tree, read before anything is written
     * to the work tree. git's listing is parsed as it streams, all of it (a
     * tree's big entries may come first and thousands of small ones after), and
     * `over` is asked after each entry: when it returns an error, git is
     * stopped at once and that error is thrown. The tree's gitlinks (mode
     * 160000: submodules) are collected on the way; each counts as one entry.
     */
    async treeSize(sha, over) {
        const size = { files: 0, bytes: 0 };
        const gitlinks = [];
        const stop = new AbortController();
        let partial = '';
        const onStdout = (chunk) => {
            if (stop.signal.aborted)
                return;
            const records = (partial + chunk).split('\0');
            partial = records.pop() ?? '';
            for (const record of records) {
                // "<mode> SP <type> SP <object> SP+ <size> TAB <path>"
                const tab = record.indexOf('\t');
                const meta = record.slice(0, tab).trim().split(/\s+/);
                if (meta[0] === '160000' && meta[2])
                    gitlinks.push({ path: record.slice(tab + 1), commit: meta[2] });
                size.files++;
                const bytes = Number(meta[3]);
                if (Number.isFinite(bytes))
                    size.bytes += bytes;
                const error = over(size);
                if (error) {
                    stop.abort(error);
                    return;
                }
            }
        };
        const args = ['ls-tree', '-r', '-l', '-z', '--full-tree', sha];
        const result = await this.git(args, { onStdout, stop: stop.signal });
        if (result.code !== 0)
            throw new GitError(`git ls-tree failed: ${this.describeFailure(result)}`);
        return { ...size, gitlinks };
    }
    /**
     * The `submodule.*` sections of the commit's `.gitmodules`, read from the
     * object store (never from the work tree, where it could be a link), by
     * git's own config parser, without following `include` directives. No
     * `.gitmodules` blob: none. A file git cannot parse is a GitError.
     */
    async gitmodules(sha) {
        const blob = `${sha}:.gitmodules`;
        const type = await this.git(['cat-file', '-t', blob]);
        if (type.code !== 0 || type.stdout.trim() !== 'blob')
            return [];
        const result = await this.git(['config', '--no-includes', '--blob', blob, '--null', '--list']);
        if (result.code !== 0)
            throw new GitError(`.gitmodules could not be read: ${this.describeFailure(result)}`);
        const entries = new Map();
        // Each record is "key\nvalue\0" (no "\nvalue" for a key without one); the key is section.subsection.variable,
        // section and variable in lower case, the subsection (the submodule's name) as written, dots included.
        for (const record of result.stdout.split('\0')) {
            const newline = record.indexOf('\n');
            const key = newline < 0 ? record : record.slice(0, newline);
            const value = newline < 0 ? undefined : record.slice(newline + 1);
            const m = /^submodule\.(.+)\.([a-z0-9-]+)$/s.exec(key);
            if (!m || value === undefined)
                continue;
            const [, name = '', variable] = m;
            const entry = entries.get(name) ?? { name };
            if (variable === 'path')
                entry.path = value;
            if (variable === 'url')
                entry.url = value;
            entries.set(name, entry);
        }
        return [...entries.values()];
    }
    /** Every blob of the commit's tree with its mode, size and path (`ls-tree -r -l`); for LFS pointer detection. */
    async treeBlobs(sha) {
        const result = await this.run(['ls-tree', '-r', '-l', '-z', '--full-tree', sha]);
        const blobs = [];
        for (const record of result.stdout.split('\0')) {
            const tab = record.indexOf('\t');
            if (tab < 0)
                continue;
            const [mode = '', type, , size] = record.slice(0, tab).trim().split(/\s+/);
            if (type === 'blob')
                blobs.push({ mode, size: Number(size), path: record.slice(tab + 1) });
        }
        return blobs;
    }
    /**
     * The value of one attribute (e.g. `filter`) for each path, as the checked-out
     * `.gitattributes` files set it. Paths go on the command line in batches
     * (after `--`): they are not secret, and this git has no `--source` yet.
     */
    async attribute(name, paths) {
        const values = new Map();
        for (let i = 0; i < paths.length; i += 500) {
            const result = await this.run(['check-attr', '-z', name, '--', ...paths.slice(i, i + 500)]);
            const fields = result.stdout.split('\0');
            for (let f = 0; f + 2 < fields.length; f += 3)
                values.set(fields[f], fields[f + 2]);
        }
        return values;
    }
    /**
     * One key of a config file committed in the tree (`.lfsconfig`), read from
     * the blob rather than the work tree, where it could be a symlink to any
     * file of the machine; includes are not followed.
     */
    async configFromCommit(sha, file, key) {
        const result = await this.git(['config', '--blob', `${sha}:${file}`, '--get', key]);
        if (result.code === 1)
            return undefined;
        if (result.code !== 0)
            throw new GitError(`Could not read ${key} from ${file}: ${this.describeFailure(result)}`);
        return result.stdout.trim();
    }
    /** Writes these paths of `sha` into the work tree again, as committed (literal pathspecs, no filter). */
    async restorePaths(sha, paths) {
        for (let i = 0; i < paths.length; i += 500)
            await this.run(['checkout', '--quiet', '--force', sha, '--', ...paths.slice(i, i + 500).map((p) => `:(literal)${p}`)]);
    }
    /** `git lfs version`; a GitError saying what to install when git-lfs is not there. */
    async lfsVersion(why) {
        const result = await this.git(['lfs', 'version']);
        if (result.code !== 0 || !/^git-lfs\//.test(result.stdout))
            throw new GitError(`git-lfs is needed (${why}) but \`git lfs\` does not run on this machine (${this.describeFailure(result)}). Install git-lfs on the runner (Debian/Ubuntu: the git-lfs package), or set lfs to false to package the pointer files.`);
        return result.stdout.trim();
    }
    /** Where git-lfs keeps objects: `.git/lfs/objects/<oid[0:2]>/<oid[2:4]>/<oid>`. */
    lfsObjectPath(oid) {
        return external_node_path_default().join(this.workDir, '.git', 'lfs', 'objects', oid.slice(0, 2), oid.slice(2, 4), oid);
    }
    /**
     * `git lfs checkout`: replaces pointer files in the work tree with the
     * objects already in `.git/lfs/objects`. It never touches the network (the
     * objects were fetched and verified by lfs-transfer.ts). The filter driver
     * is configured for this one call only: `git checkout` itself must never
     * run a filter.
     */
    async lfsCheckout() {
        const filter = [
            'filter.lfs.process=git-lfs filter-process',
            'filter.lfs.smudge=git-lfs smudge -- %f',
            'filter.lfs.clean=git-lfs clean -- %f',
            'filter.lfs.required=true'
        ].flatMap((c) => ['-c', c]);
        const result = await this.git([...filter, 'lfs', 'checkout']);
        if (result.code !== 0)
            throw new GitError(`git lfs checkout failed: ${this.describeFailure(result)}`);
    }
    async checkout(sha) {
        await this.run(['checkout', '--quiet', '--force', '--detach', sha]);
    }
    async headCommit() {
        return (await this.run(['rev-parse', 'HEAD'])).stdout.trim();
    }
    /** Committer time of HEAD, in seconds since the epoch. */
    async headCommitTime() {
        return Number((await this.run(['show', '-s', '--format=%ct', 'HEAD'])).stdout.trim());
    }
    /** Runs git; a non-zero exit becomes a GitError with git's (redacted) message. */
    async run(args) {
        const result = await this.git(args);
        if (result.code !== 0)
            throw new GitError(`git ${args[0]} failed: ${this.describeFailure(result)}`);
        return result;
    }
    /** git's last meaningful lines, redacted, for an error message. */
    describeFailure(result) {
        const lines = result.stderr
            .split(/\r?\n|\r/)
            .map((l) => l.trim())
            .filter((l) => l && !/^(remote: )?(Counting|Compressing|Enumerating|Receiving|Resolving|Total|Unpacking)/.test(l));
        return this.settings.redactor.apply(lines.slice(-4).join(' / ') || `exit code ${result.code}`);
    }
    /**
     * Runs git and returns its result whatever the exit code. `stop` ends it
     * early (its reason, a JobPackagerError, is thrown), like the run's signal.
     */
    async git(args, options = {}) {
        const argv = HARDENING.flatMap((c) => ['-c', c]).concat(args);
        this.settings.logger.debug(`git ${this.settings.redactor.apply(args.join(' '))}`);
        const { stop, ...callbacks } = options;
        const signals = [this.settings.signal, stop].filter((s) => s !== undefined);
        const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
        try {
            return await runProcess(this.gitPath, argv, { ...callbacks, cwd: this.workDir, env: this.env, signal });
        }
        catch (err) {
            if (signal?.aborted)
                throw err;
            throw new GitError(`could not run git: ${err.message}`, { cause: err });
        }
    }
}
/**
 * Throws a GitError unless `output` (what `git version` printed) names a git
 * at least MIN_GIT. Vendor suffixes such as "2.39.5.windows.1" or
 * "2.39.5 (Apple Git-154)" are fine; output that is not "git version X.Y…" is
 * refused rather than assumed new enough.
 */
function checkGitVersion(output, gitPath) {
    const firstLine = output.trim().split(/\r?\n/)[0] ?? '';
    const printed = /^git version (\S+)/.exec(firstLine)?.[1];
    const numbers = printed === undefined ? null : /^(\d{1,6})\.(\d{1,6})(?:\D|$)/.exec(printed);
    if (!printed || !numbers)
        throw new GitError(`Could not tell which version ${gitPath} is: "git version" printed ${describeValue(firstLine, 80)}. job-packager needs ${MIN_GIT_TEXT}.`);
    const major = Number(numbers[1]);
    const minor = Number(numbers[2]);
    if (major < MIN_GIT.major || (major === MIN_GIT.major && minor < MIN_GIT.minor))
        throw new GitError(`git ${printed} (${gitPath}) is too old: job-packager needs ${MIN_GIT_TEXT} (for init --object-format and fetch --no-write-fetch-head). Install a newer git on the runner, or put one first on PATH.`);
    return { major, minor };
}
/**
 * The parts of our environment git needs (PATH, HOME for ssh, proxies, CA
 * bundles), and nothing of the caller's other GIT_* variables, which could
 * point git at another directory, config or helper — or, like GIT_TRACE_CURL,
 * print the auth header.
 */
function passThroughEnv() {
    const keep = /^(PATH|HOME|USER|TMPDIR|LANG|SSL_CERT_FILE|SSL_CERT_DIR|GIT_SSL_CAINFO|GIT_SSL_CAPATH|HTTPS?_PROXY|NO_PROXY|https?_proxy|no_proxy|SSH_AUTH_SOCK)$/;
    return Object.fromEntries(Object.entries(process.env).filter(([k]) => keep.test(k)));
}

;// CONCATENATED MODULE: ./src/core/git/lfs-transfer.ts
/**
 * The network half of Git LFS: the batch API request and the object
 * downloads, made by our own HTTP client rather than git-lfs's.
 *
 * Why not let git-lfs fetch: its HTTP client follows whatever `href` the
 * batch API answers with, on any host, and resolves names itself. Our
 * address policy, protocol allow-list, redirect rules and size limits could
 * see none of that. So git-lfs only ever runs offline (lfs.ts: `git lfs
 * checkout` from objects already on disk), and every request goes through
 * here:
 * - the endpoint and every `href` must use an allowed transport (https; http
 *   only when allowed), carry no credentials in the URL, and resolve to
 *   addresses the private-network rule accepts — checked before the first
 *   byte is requested, and again on the address each socket connects to
 *   (`guardedLookup`, so a DNS answer that changes in between is refused);
 * - the batch request follows no redirect (like git); object downloads
 *   follow redirects by the dataset rules (http-download.ts);
 * - the token goes by the one credential rule (net/token-origin.ts): to the
 *   endpoint only when its origin is the token origin (the batch request
 *   follows no redirect, so that is its only hop), and to an `href` only on
 *   that origin, when the server gave no Authorization of its own, and only
 *   while every redirect hop of the download stayed there; headers the
 *   server hands out for an `href` are bound to that href's origin the same
 *   way;
 * - the server's headers are never registered as secrets: a value the server
 *   chooses would otherwise be masked wherever it occurs, and could blank
 *   out what job.json records (redaction of what is recorded is structural
 *   only, redact.ts);
 * - every object is streamed to disk and checked against the pointer's size
 *   and sha256 as it arrives.
 */











/** Objects per batch request: the batch API's customary page size. */
const BATCH_SIZE = 100;
/** A batch answer lists at most BATCH_SIZE objects with a URL and a few headers each. */
const MAX_BATCH_RESPONSE = 8 * 1024 * 1024;
const LFS_JSON = 'application/vnd.git-lfs+json';
class RetryableBatchError extends GitError {
}
/** Fetches every object into the object store, verified. Throws on the first failure. */
async function transferLfsObjects(objects, req) {
    await checkLfsUrl(req.endpoint, 'the Git LFS endpoint', req);
    // The batch request follows no redirect: the endpoint is its only hop.
    const endpointToken = credentialForHops(tokenOf(req), [req.endpoint]);
    if (req.token && !endpointToken)
        req.logger.info(`The token is not sent to the Git LFS endpoint ${req.endpoint.origin}: it is only sent to ${req.tokenOrigin || 'no origin'} (${req.names('tokenOrigin')}).`);
    await (0,promises_namespaceObject.mkdir)(req.tempDir, { recursive: true });
    for (let i = 0; i < objects.length; i += BATCH_SIZE) {
        const page = objects.slice(i, i + BATCH_SIZE);
        const actions = await batch(page, endpointToken, req);
        // Every href is checked before any object is downloaded.
        for (const object of page)
            await checkLfsUrl(new URL(actions.get(object.oid).href), `the Git LFS object of code/${object.path}`, req);
        for (const object of page)
            await downloadObject(object, actions.get(object.oid), req);
    }
}
async function downloadObject(object, action, req) {
    const url = new URL(action.href);
    const headers = {};
    for (const [name, value] of Object.entries(action.header ?? {})) {
        // The server's own headers for its own URL (often a signed Authorization).
        if (typeof value === 'string' && /^[A-Za-z0-9-]+$/.test(name) && !/[\r\n]/.test(value))
            headers[name.toLowerCase()] = value;
    }
    // The token for an href on its origin; downloadFile then sends these headers only while every hop stays on the href's origin.
    const token = headers.authorization ? undefined : credentialForHops(tokenOf(req), [url]);
    if (token !== undefined)
        headers.authorization = basicToken(token);
    const part = external_node_path_default().join(req.tempDir, `${object.oid}.part`);
    req.logger.info(`Downloading Git LFS object ${object.oid.slice(0, 12)} (${object.size} bytes) for code/${object.path}`);
    await downloadFile({
        url,
        dest: part,
        label: `code/${object.path} (Git LFS)`,
        subject: { name: `the Git LFS object of code/${object.path}`, rule: 'Git LFS objects must come from public addresses' },
        blockedAddress: req.blockedAddress,
        expectedSha256: object.oid,
        exactBytes: object.size,
        mismatchHint: 'The server did not send the object the LFS pointer names; refused.',
        headers,
        maxBytes: object.size,
        idleTimeoutMs: req.limits.idleTimeoutMs,
        maxRedirects: req.limits.maxRedirects,
        allowHttp: req.allowHttp,
        allowPrivateNetwork: req.allowPrivateNetwork,
        names: req.names,
        attempts: req.limits.attempts,
        retryDelayMs: req.limits.retryDelayMs,
        logger: req.logger,
        redactor: req.redactor,
        signal: req.signal
    });
    const dest = req.objectPath(object.oid);
    await (0,promises_namespaceObject.mkdir)(external_node_path_default().dirname(dest), { recursive: true });
    await (0,promises_namespaceObject.rename)(part, dest);
}
/** One batch API request (with retries) and its answer, checked: one download action per requested object. */
async function batch(objects, token, req) {
    const url = new URL(`${req.endpoint.href.replace(/\/+$/, '')}/objects/batch`);
    const where = req.redactor.apply(req.endpoint.href);
    const body = JSON.stringify({
        operation: 'download',
        transfers: ['basic'],
        objects: objects.map(({ oid, size }) => ({ oid, size })),
        hash_algo: 'sha256'
    });
    const answer = await withRetry({
        attempts: req.limits.attempts,
        delayMs: req.limits.retryDelayMs,
        signal: req.signal,
        logger: req.logger,
        what: 'Git LFS batch request'
    }, () => postJson(url, body, token, req), (err) => err instanceof RetryableBatchError);
    const listed = answer.objects;
    if (!Array.isArray(listed))
        throw new GitError(`The Git LFS endpoint ${where} answered the batch request without an objects list.`);
    const actions = new Map();
    for (const item of listed) {
        const wanted = objects.find((o) => o.oid === item?.oid);
        if (!wanted)
            continue;
        const error = item.error;
        if (error) {
            const code = typeof error.code === 'number' ? `${error.code} ` : '';
            const message = typeof error.message === 'string' ? req.redactor.apply(error.message.slice(0, 300)) : '';
            throw new GitError(`The Git LFS server has no object for code/${wanted.path} (oid ${wanted.oid}): ${code}${message}`.trim());
        }
        if (item.size !== wanted.size)
            throw new GitError(`The Git LFS server lists ${wanted.oid} with size ${String(item.size)}, but the pointer of code/${wanted.path} says ${wanted.size}.`);
        const download = item.actions?.download;
        if (typeof download?.href !== 'string')
            throw new GitError(`The Git LFS server gave no download URL for code/${wanted.path} (oid ${wanted.oid}).`);
        let href;
        try {
            href = new URL(download.href);
        }
        catch {
            throw new GitError(`The Git LFS server gave an invalid download URL for code/${wanted.path}.`);
        }
        const header = download.header !== null && typeof download.header === 'object' ? download.header : undefined;
        actions.set(wanted.oid, { href: href.href, header });
    }
    const missing = objects.find((o) => !actions.has(o.oid));
    if (missing)
        throw new GitError(`The Git LFS server did not answer for code/${missing.path} (oid ${missing.oid}).`);
    return actions;
}
/** POSTs the batch request; no redirect is followed and the answer is capped in size. */
function postJson(url, body, token, req) {
    const where = req.redactor.apply(req.endpoint.href);
    return new Promise((resolve, reject) => {
        const client = url.protocol === 'https:' ? (external_node_https_default()) : (external_node_http_default());
        const headers = {
            accept: LFS_JSON,
            'content-type': LFS_JSON,
            'user-agent': 'job-packager',
            'content-length': String(Buffer.byteLength(body))
        };
        if (token)
            headers.authorization = basicToken(token);
        const request = client.request(url, {
            method: 'POST',
            headers,
            lookup: guardedLookup(addressBlock(req.allowPrivateNetwork), req.names('allowPrivateNetwork', 'true'), {
                name: 'the Git LFS endpoint',
                rule: 'Git LFS endpoints must be on public addresses'
            }),
            signal: req.signal,
            agent: false
        });
        request.setTimeout(req.limits.idleTimeoutMs, () => request.destroy(new RetryableBatchError(`The Git LFS endpoint ${where} sent nothing for ${req.limits.idleTimeoutMs / 1000} s (${req.names('idleTimeoutMs')}).`)));
        request.on('error', (err) => {
            if (req.signal?.aborted)
                return reject(abortReason(req.signal));
            if (err instanceof JobPackagerError)
                return reject(err);
            const code = err.code ?? err.message;
            if (/CERT|SSL|TLS|ENOTFOUND|EAI_NONAME/.test(code))
                return reject(new GitError(`The Git LFS endpoint ${where} could not be reached: ${code}.`));
            reject(new RetryableBatchError(`The Git LFS endpoint ${where} could not be reached: ${code}.`));
        });
        request.on('response', (res) => {
            const status = res.statusCode ?? 0;
            const chunks = [];
            let bytes = 0;
            res.on('data', (chunk) => {
                bytes += chunk.length;
                if (bytes > MAX_BATCH_RESPONSE) {
                    res.destroy();
                    reject(new GitError(`The Git LFS endpoint ${where} sent more than ${MAX_BATCH_RESPONSE} bytes in answer to a batch request; refused.`));
                }
                else
                    chunks.push(chunk);
            });
            res.on('error', () => reject(new RetryableBatchError(`The connection to the Git LFS endpoint ${where} broke.`)));
            res.on('end', () => {
                const text = Buffer.concat(chunks).toString('utf8');
                if (status >= 300 && status < 400)
                    return reject(new GitError(`The Git LFS endpoint ${where} answered with a redirect (HTTP ${status}), which is not followed: the token and the address checks apply to the endpoint itself. Point lfs.url in .lfsconfig at the address it redirects to.`));
                if (status === 401 || status === 403)
                    return reject(new GitError(`The Git LFS endpoint ${where} refused the request (HTTP ${status}). ${token ? 'The token was sent and was not accepted.' : `No token was sent: a token goes only to ${req.tokenOrigin || 'no origin'} (${req.names('tokenOrigin')}).`}`));
                if (status >= 500 || status === 408 || status === 429)
                    return reject(new RetryableBatchError(`The Git LFS endpoint ${where} answered HTTP ${status}.`));
                if (status !== 200)
                    return reject(new GitError(`The Git LFS endpoint ${where} answered HTTP ${status} to the batch request.`));
                try {
                    resolve(JSON.parse(text));
                }
                catch {
                    reject(new GitError(`The Git LFS endpoint ${where} answered the batch request with something that is not JSON.`));
                }
            });
        });
        request.end(body);
    });
}
/**
 * The checks a URL passes before anything is sent to it: an allowed
 * transport, no credentials in it, and (unless allowed) public addresses
 * only. The socket's own lookup checks again when it connects.
 */
async function checkLfsUrl(url, what, req) {
    const shown = req.redactor.apply(url.href);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && req.allowHttp))
        throw new GitError(`Refused ${what} ${shown}: only https${req.allowHttp ? ' and http are' : ' is'} allowed${req.allowHttp ? '' : ` (http too: ${req.names('allowProtocols', 'https,http')})`}.`);
    if (url.username || url.password)
        throw new GitError(`Refused ${what} ${shown}: credentials in a URL are not accepted (the token option is the way to authenticate).`);
    if (req.allowPrivateNetwork)
        return;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses;
    if (external_node_net_default().isIP(host))
        addresses = [host];
    else {
        try {
            addresses = req.lookup ? await req.lookup(host) : (await external_node_dns_promises_default().lookup(host, { all: true, verbatim: true })).map((a) => a.address);
        }
        catch (err) {
            throw new GitError(`Could not resolve the host of ${what} ${url.origin}: ${err.message}`);
        }
    }
    const bad = addresses.find((a) => isNonPublicAddress(a));
    if (bad !== undefined || addresses.length === 0)
        throw new GitError(`Refused to connect to ${url.hostname} (${bad ?? 'no address'}) for ${what}: it is a loopback, private, link-local or reserved address (to allow it: ${req.names('allowPrivateNetwork', 'true')}).`);
}
function tokenOf(req) {
    return req.token ? { value: req.token, origin: req.tokenOrigin } : undefined;
}
/** The same header git sends (git-command-manager.ts). */
function basicToken(token) {
    return `Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
}

;// CONCATENATED MODULE: ./src/core/git/lfs.ts
/**
 * Git LFS: after the checkout (and before `.git` is deleted), finds the LFS
 * pointer files of the commit and, depending on the `lfs` option, replaces
 * them with the objects they name, or keeps them and says so.
 *
 *   detect    blobs of the tree small enough to be pointers, read from the
 *             work tree and parsed (the pointer format itself), and marked
 *             `filter=lfs` by .gitattributes (git check-attr) — both, as
 *             git-lfs itself requires
 *   limits    the objects' sizes from the pointers count toward
 *             max-checkout-bytes (and max-fetch-bytes) before any request
 *   endpoint  lfs.url (or remote.origin.lfsurl) from the commit's .lfsconfig,
 *             else derived from git_url the way git-lfs derives it
 *   transfer  lfs-transfer.ts: batch API + downloads by our own client,
 *             every object checked against its size and sha256
 *   checkout  `git lfs checkout`, offline, from the verified objects
 *   verify    every file that was a pointer is hashed again in code/: the
 *             bytes packaged are the bytes the pointer names
 *
 * Nothing is dropped silently: `lfs: false`, pointer-looking files that
 * .gitattributes does not mark, and files that start like a pointer but are
 * not a valid one, are warnings (log, job.json, summary).
 */







/** Pointer files are small; git-lfs reads at most this many bytes of a candidate. */
const MAX_POINTER_BYTES = 1024;
/** The shortest pointer (version line, oid line, `size 0`). */
const MIN_POINTER_BYTES = 126;
/** The pointer format's first line: a file that starts with it but does not parse is a malformed pointer, and is named. */
const POINTER_VERSION_LINE = 'version https://git-lfs.github.com/spec/v1\n';
/** The spec's canonical form: version first, then keys in order (extensions, oid, size), nothing else. */
const POINTER = /^version https:\/\/git-lfs\.github\.com\/spec\/v1\r?\n(?:ext-\d-[a-z0-9]+ sha256:[0-9a-f]{64}\r?\n)*oid sha256:([0-9a-f]{64})\r?\nsize (0|[1-9]\d{0,15})\r?\n$/;
/** The oid and size of an LFS pointer, or undefined when `text` is not one. */
function parseLfsPointer(text) {
    const m = POINTER.exec(text);
    if (!m)
        return undefined;
    const size = Number(m[2]);
    return Number.isSafeInteger(size) ? { oid: m[1], size } : undefined;
}
/**
 * The LFS endpoint of a remote, as git-lfs derives it: `<url>.git/info/lfs`,
 * or `<url>/info/lfs` when the URL already ends in `.git`; ssh remotes are
 * reached over https on the same host. Undefined for local remotes.
 */
function deriveLfsEndpoint(source) {
    let base;
    if (source.protocol === 'http' || source.protocol === 'https')
        base = source.url;
    else if (source.protocol === 'ssh') {
        const scp = /^(?:[^@/]+@)?([^:/]+):(.*)$/.exec(source.url);
        if (source.url.startsWith('ssh://')) {
            const u = new URL(source.url);
            base = `https://${u.hostname}${u.pathname}`;
        }
        else if (scp)
            base = `https://${scp[1]}/${scp[2].replace(/^\/+/, '')}`;
        else
            return undefined;
    }
    else
        return undefined;
    const url = new URL(base);
    url.search = '';
    url.hash = '';
    const trimmed = url.pathname.replace(/\/+$/, '');
    url.pathname = trimmed.endsWith('.git') ? `${trimmed}/info/lfs` : `${trimmed}.git/info/lfs`;
    return url;
}
/**
 * Runs after `git checkout` of `sha` into `codeDir`, while `.git` is still
 * there. Returns undefined when the commit has no LFS pointers (and lfs is
 * not true).
 */
async function resolveLfs(git, codeDir, sha, tree, req) {
    if (req.mode === 'true')
        await git.lfsVersion('lfs is true');
    const { pointers, unmarked, malformed, lfsconfig } = await findPointers(git, codeDir, sha);
    const warnings = [];
    const warn = (text) => {
        req.logger.warn(text);
        warnings.push(text);
    };
    if (malformed.length)
        warn(`${malformed.length} file(s) start like Git LFS pointers but are not valid ones (the oid must be "sha256:" and 64 lower-case hex digits, the keys in the pointer format's order), so git-lfs would not fetch them either; they are packaged as they are: ${listPaths(malformed)}.`);
    if (unmarked.length)
        warn(`${unmarked.length} file(s) look like Git LFS pointers but .gitattributes does not mark them filter=lfs, so git-lfs would not fetch them either; they are packaged as they are: ${listPaths(unmarked)}.`);
    if (pointers.length === 0) {
        if (req.mode === 'true')
            req.logger.info('Git LFS: the commit has no LFS pointer files; nothing to fetch.');
        return warnings.length ? { fetched: false, objects: [], addedBytes: 0, warnings } : undefined;
    }
    const objects = pointers.map(({ path, oid, size }) => ({ path, oid, size }));
    const objectBytes = pointers.reduce((n, p) => n + p.size, 0);
    if (req.mode === 'false') {
        warn(`Git LFS is off (${req.names('lfs', 'false')}): ${pointers.length} LFS file(s) are packaged as pointer files, without their ${formatBytes(objectBytes)} of content: ${listPaths(pointers.map((p) => p.path))}.`);
        return { fetched: false, objects, addedBytes: 0, warnings };
    }
    // The sizes the pointers promise, before anything is requested.
    const unique = new Map(pointers.map((p) => [p.oid, p]));
    const fetchBytes = [...unique.values()].reduce((n, p) => n + p.size, 0);
    const total = tree.bytes - pointers.reduce((n, p) => n + p.pointerBytes, 0) + objectBytes;
    if (total > req.limits.maxCheckoutBytes)
        throw new LimitError(`The commit's tree with its ${pointers.length} Git LFS object(s) would hold ${total} bytes (${objectBytes} of them LFS content), more than the limit of ${req.limits.maxCheckoutBytes} (${req.names('maxCheckoutBytes')}); nothing was downloaded. To package the pointer files instead: ${req.names('lfs', 'false')}.`);
    if (fetchBytes > req.limits.maxFetchBytes)
        throw new LimitError(`The commit's Git LFS objects hold ${fetchBytes} bytes, more than one fetch may download (${req.limits.maxFetchBytes}, ${req.names('maxFetchBytes')}); nothing was downloaded.`);
    await git.lfsVersion(`the commit has ${pointers.length} LFS pointer file(s) and lfs is ${req.mode}`);
    const endpoint = await lfsEndpoint(git, sha, lfsconfig, req);
    req.logger.info(`Git LFS: fetching ${unique.size} object(s), ${formatBytes(fetchBytes)}, for ${pointers.length} file(s) from ${req.redactor.apply(endpoint.href)}`);
    await transferLfsObjects([...unique.values()].map(({ oid, size, path }) => ({ oid, size, path })), {
        endpoint,
        objectPath: (oid) => git.lfsObjectPath(oid),
        tempDir: external_node_path_default().join(codeDir, '.git', 'lfs', 'incoming'),
        token: req.token,
        tokenOrigin: req.tokenOrigin,
        allowHttp: req.allowProtocols.has('http'),
        allowPrivateNetwork: req.allowPrivateNetwork,
        lookup: req.lookup,
        limits: req.limits,
        names: req.names,
        logger: req.logger,
        redactor: req.redactor,
        signal: req.signal
    });
    await git.lfsCheckout();
    // git lfs checkout replaces every pointer-looking file; a clone smudges only those marked filter=lfs, and so do we.
    if (unmarked.length)
        await git.restorePaths(sha, unmarked);
    // git-lfs placed the files; what is packaged is checked here, byte for byte.
    for (const pointer of pointers) {
        const file = external_node_path_default().join(codeDir, pointer.path);
        const stat = await (0,promises_namespaceObject.lstat)(file).catch(() => undefined);
        if (!stat?.isFile() || stat.size !== pointer.size || (await sha256File(file)) !== pointer.oid)
            throw new UnsafeContentError(`code/${pointer.path} does not hold the Git LFS object its pointer names (sha256 ${pointer.oid}, ${pointer.size} bytes) after git lfs checkout; nothing was kept.`);
    }
    for (const file of unmarked) {
        const text = await readSmallFile(external_node_path_default().join(codeDir, file));
        if (text === undefined || !parseLfsPointer(text))
            throw new UnsafeContentError(`code/${file} should have stayed as committed (it is not marked filter=lfs) but changed during git lfs checkout; nothing was kept.`);
    }
    req.logger.info(`Git LFS: ${pointers.length} file(s) in place and verified (${formatBytes(objectBytes)})`);
    // Recorded in job.json: redacted structurally only, never by the registered secrets (redact.ts).
    return { endpoint: redactUrl(endpoint.href), fetched: true, objects, addedBytes: total - tree.bytes, warnings };
}
/**
 * Pointer files of the commit, pointer-looking files that .gitattributes does
 * not mark filter=lfs, and files that start like a pointer but are not one
 * (an upper-case or short oid: git-lfs leaves those as they are too, so they
 * would be packaged silently in place of content).
 */
async function findPointers(git, codeDir, sha) {
    const blobs = await git.treeBlobs(sha);
    const candidates = [];
    const malformed = [];
    for (const blob of blobs) {
        if ((blob.mode !== '100644' && blob.mode !== '100755') || !(blob.size >= POINTER_VERSION_LINE.length && blob.size <= MAX_POINTER_BYTES))
            continue;
        const text = await readSmallFile(external_node_path_default().join(codeDir, blob.path));
        const parsed = text === undefined || blob.size < MIN_POINTER_BYTES ? undefined : parseLfsPointer(text);
        if (parsed)
            candidates.push({ path: blob.path, ...parsed, pointerBytes: blob.size });
        else if (text?.replace(/\r\n/, '\n').startsWith(POINTER_VERSION_LINE))
            malformed.push(blob.path);
    }
    const lfsconfig = blobs.some((b) => b.path === '.lfsconfig' && b.mode !== '120000');
    if (candidates.length === 0)
        return { pointers: [], unmarked: [], malformed, lfsconfig };
    const filters = await git.attribute('filter', candidates.map((c) => c.path));
    const pointers = candidates.filter((c) => filters.get(c.path) === 'lfs');
    const unmarked = candidates.filter((c) => filters.get(c.path) !== 'lfs').map((c) => c.path);
    return { pointers, unmarked, malformed, lfsconfig };
}
/** A regular file's first MAX_POINTER_BYTES as text; undefined for anything else (a symlink planted in the work tree). */
async function readSmallFile(file) {
    const stat = await (0,promises_namespaceObject.lstat)(file).catch(() => undefined);
    if (!stat?.isFile())
        return undefined;
    const handle = await (0,promises_namespaceObject.open)(file, 'r');
    try {
        const buffer = Buffer.alloc(MAX_POINTER_BYTES);
        const { bytesRead } = await handle.read(buffer, 0, MAX_POINTER_BYTES, 0);
        return buffer.subarray(0, bytesRead).toString('utf8');
    }
    finally {
        await handle.close();
    }
}
/** lfs.url / remote.origin.lfsurl from the commit's .lfsconfig, else the endpoint git-lfs would derive from git_url. */
async function lfsEndpoint(git, sha, lfsconfig, req) {
    const configured = lfsconfig
        ? ((await git.configFromCommit(sha, '.lfsconfig', 'remote.origin.lfsurl')) ??
            (await git.configFromCommit(sha, '.lfsconfig', 'lfs.url')))
        : undefined;
    if (configured !== undefined) {
        try {
            const url = new URL(configured);
            req.logger.info(`Git LFS endpoint from .lfsconfig: ${req.redactor.apply(url.href)}`);
            return url;
        }
        catch {
            throw new GitError(`.lfsconfig names the Git LFS endpoint ${JSON.stringify(req.redactor.apply(configured))}, which is not a URL.`);
        }
    }
    const derived = deriveLfsEndpoint(req.source);
    if (!derived)
        throw new GitError(`The commit has Git LFS pointer files, but no LFS endpoint can be derived from a ${req.source.protocol} git_url and .lfsconfig names none. Set lfs.url in .lfsconfig, or ${req.names('lfs', 'false')} to package the pointer files.`);
    return derived;
}
/** Up to ten paths, for one log line. */
function listPaths(paths) {
    const shown = paths.slice(0, 10).map((p) => JSON.stringify(p));
    return `${shown.join(', ')}${paths.length > 10 ? `, and ${paths.length - 10} more` : ''}`;
}

;// CONCATENATED MODULE: ./src/core/options/kinds.ts
/**
 * Value kinds of the option registry: how a value written by a user (a CLI
 * flag's text, an Action input's text, a JSON value in a spec) becomes the
 * typed value the core uses, and how a value handed over by a library caller
 * is checked. Each kind says what it accepts in words, so every refusal can
 * say it too.
 *
 * A kind throws `KindProblem` (what is wrong, what is accepted) and never
 * names the option: the caller knows under which name the user wrote it.
 */



class KindProblem extends Error {
    problem;
    accepted;
    constructor(problem, accepted) {
        super(problem);
        this.problem = problem;
        this.accepted = accepted;
        this.name = 'KindProblem';
    }
}
/** A JSON value with the same checks as text: JSON strings go through `parse`. */
function viaText(kind, json) {
    return {
        ...kind,
        fromJson(value) {
            if (typeof value === 'string')
                return kind.parse(value);
            const v = json(value);
            if (v === undefined)
                throw new KindProblem(`${describeJson(value)} has the wrong type`, kind.accepted);
            return v;
        }
    };
}
function describeJson(value) {
    return typeof value === 'string' ? describeValue(value, 80) : (JSON.stringify(value) ?? String(value)).slice(0, 80);
}
function booleanKind() {
    const accepted = 'true or false';
    // YAML 1.2 core booleans, the forms @actions/core's getBooleanInput takes.
    const parse = (text) => {
        const t = text.trim();
        if (['true', 'True', 'TRUE'].includes(t))
            return true;
        if (['false', 'False', 'FALSE'].includes(t))
            return false;
        throw new KindProblem(`${describeValue(text, 80)} is not a boolean`, accepted);
    };
    return viaText({
        accepted,
        parse,
        check: (v) => {
            if (typeof v !== 'boolean')
                throw new KindProblem(`${describeJson(v)} is not a boolean`, accepted);
            return v;
        },
        format: String
    }, (v) => (typeof v === 'boolean' ? v : undefined));
}
function rangeText({ min, max }, unit = '') {
    return max === undefined ? `a whole number${unit} of at least ${min}` : `a whole number${unit} from ${min} to ${max}`;
}
function checkWhole(n, range, shown, accepted) {
    if (!Number.isSafeInteger(n))
        throw new KindProblem(`${shown} is not a whole number`, accepted);
    if (n < range.min || (range.max !== undefined && n > range.max))
        throw new KindProblem(`${shown} is out of range`, accepted);
    return n;
}
/**
 * A whole number. `scale` converts the user's unit into the core's (seconds
 * into milliseconds): users write `--timeout 60`, the core gets 60000.
 */
function integerKind(range, opts = {}) {
    const scale = opts.scale ?? 1;
    const accepted = rangeText(range, opts.unit ? ` of ${opts.unit}` : '');
    const fromUser = (n, shown) => checkWhole(n, range, shown, accepted) * scale;
    return viaText({
        metavar: opts.metavar ?? 'N',
        accepted,
        parse: (text) => {
            const t = text.trim();
            if (!/^\d+$/.test(t))
                throw new KindProblem(`${describeValue(text, 80)} is not a whole number`, accepted);
            return fromUser(Number(t), describeValue(text, 80));
        },
        check: (v) => {
            if (typeof v !== 'number')
                throw new KindProblem(`${describeJson(v)} is not a number`, accepted);
            const coreRange = { min: range.min * scale, max: range.max === undefined ? undefined : range.max * scale };
            return checkWhole(v, coreRange, String(v), scale === 1 ? accepted : `${rangeText(coreRange)} (milliseconds)`);
        },
        format: (v) => String(v / scale)
    }, (v) => (typeof v === 'number' ? fromUser(v, String(v)) : undefined));
}
/** A size in bytes: `1048576`, `500M`, `5G` (powers of 1024). */
function sizeKind(range) {
    const accepted = `a number of bytes, optionally with K, M, G or T (powers of 1024), e.g. 500M; at least ${range.min}`;
    const inRange = (n, shown) => checkWhole(n, range, shown, accepted);
    return viaText({
        metavar: 'SIZE',
        accepted,
        parse: (text) => {
            let n;
            try {
                n = parseByteSize(text);
            }
            catch {
                throw new KindProblem(`${describeValue(text, 80)} is not a size`, accepted);
            }
            return inRange(n, describeValue(text, 80));
        },
        check: (v) => {
            if (typeof v !== 'number')
                throw new KindProblem(`${describeJson(v)} is not a number of bytes`, accepted);
            return inRange(v, String(v));
        },
        format: formatSize
    }, (v) => (typeof v === 'number' ? inRange(v, String(v)) : undefined));
}
/** The shortest exact spelling of a byte count: 5368709120 → "5G". */
function formatSize(n) {
    for (const [suffix, unit] of [
        ['T', 1024 ** 4],
        ['G', 1024 ** 3],
        ['M', 1024 ** 2],
        ['K', 1024]
    ]) {
        if (n >= unit && n % unit === 0)
            return `${n / unit}${suffix}`;
    }
    return String(n);
}
/** One of a fixed set of words. */
/**
 * One word from a fixed list. `aliases` are older spellings that keep
 * working (e.g. `true`/`false` from when the option was a boolean); they are
 * named in `accepted` but not in the metavar, so help shows the words to use.
 */
function enumKind(values, options = {}) {
    const aliases = Object.entries(options.aliases ?? {});
    const accepted = `one of ${values.join(', ')}${aliases.length > 0 ? ` (${aliases.map(([a, v]) => `${a} means ${v}`).join(', ')})` : ''}`;
    const parse = (text) => {
        const t = text.trim().toLowerCase();
        const found = values.find((v) => v === t) ?? aliases.find(([a]) => a === t)?.[1];
        if (found === undefined)
            throw new KindProblem(`${describeValue(text, 80)} is not one of the choices`, accepted);
        return found;
    };
    return viaText({
        metavar: values.join('|'),
        accepted,
        parse,
        check: (v) => (typeof v === 'string' ? parse(v) : parse(String(v))),
        format: (v) => v
    }, 
    // JSON true/false for an enum that has them as words (e.g. lfs: true).
    (v) => (typeof v === 'boolean' ? parse(String(v)) : undefined));
}
/** A set of words from a fixed list: `https,http` (commas or spaces), or a JSON list. */
function enumListKind(values) {
    const accepted = `a comma-separated list of ${values.join(', ')}`;
    const fromList = (items) => {
        const out = [];
        for (const item of items) {
            const word = typeof item === 'string' ? item.trim().toLowerCase() : item;
            const found = values.find((v) => v === word);
            if (found === undefined)
                throw new KindProblem(`${describeJson(item)} is not one of ${values.join(', ')}`, accepted);
            if (!out.includes(found))
                out.push(found);
        }
        if (out.length === 0)
            throw new KindProblem('is empty', accepted);
        return out;
    };
    return viaText({
        metavar: 'LIST',
        accepted,
        parse: (text) => fromList(text.split(/[\s,]+/).filter(Boolean)),
        check: (v) => {
            if (!Array.isArray(v))
                throw new KindProblem(`${describeJson(v)} is not a list`, accepted);
            return fromList(v);
        },
        format: (v) => v.join(',')
    }, (v) => (Array.isArray(v) ? fromList(v) : undefined));
}
/**
 * Free text, checked by `validate` (which may normalise it). Empty text means
 * "not given" and never reaches a kind: the shells drop empty values first.
 */
function textKind(metavar, accepted, validate = (t) => t) {
    const run = (text) => {
        try {
            return validate(text);
        }
        catch (err) {
            if (err instanceof KindProblem)
                throw err;
            // Validators shared with the core's own checks (e.g. parseBaseImage) throw SpecErrors.
            if (err instanceof SpecError)
                throw new KindProblem(err.problem, err.accepted);
            throw new KindProblem(`${describeValue(text, 80)} ${err instanceof Error ? err.message : String(err)}`, accepted);
        }
    };
    return viaText({
        metavar,
        accepted,
        parse: run,
        check: (v) => {
            if (typeof v !== 'string')
                throw new KindProblem(`${describeJson(v)} is not a string`, accepted);
            return run(v);
        },
        format: (v) => v
    }, () => undefined);
}
/**
 * `scheme://host[:port]` of an http(s) URL; the empty string stays empty and
 * means "nowhere" (for token-origin: never send the token).
 */
function originKind() {
    return textKind('ORIGIN', 'an http(s) origin, scheme://host[:port], e.g. https://github.com; or empty for none', (text) => {
        if (text === '')
            return '';
        let url;
        try {
            url = new URL(text.trim());
        }
        catch {
            throw new Error('is not a URL');
        }
        if (url.protocol !== 'https:' && url.protocol !== 'http:')
            throw new Error('is not an http(s) URL');
        if (url.username || url.password)
            throw new Error('has credentials in it');
        return url.origin;
    });
}
/** A positive decimal number with at most three decimals (`1.5` CPUs), within `range`. */
function decimalKind(range, metavar = 'N') {
    const accepted = `a number from ${range.min} to ${range.max}, up to three decimals (e.g. 1.5)`;
    const inRange = (n, shown) => {
        if (!Number.isFinite(n) || n < range.min || n > range.max)
            throw new KindProblem(`${shown} is out of range`, accepted);
        return n;
    };
    const parse = (text) => {
        const t = text.trim();
        if (!/^\d+(?:\.\d{1,3})?$/.test(t))
            throw new KindProblem(`${describeValue(text, 80)} is not a number`, accepted);
        return inRange(Number(t), t);
    };
    return viaText({
        metavar,
        accepted,
        parse,
        check: (v) => {
            if (typeof v !== 'number')
                throw new KindProblem(`${describeJson(v)} is not a number`, accepted);
            return inRange(v, String(v));
        },
        format: (v) => String(v)
    }, (v) => (typeof v === 'number' ? inRange(v, String(v)) : undefined));
}

;// CONCATENATED MODULE: ./src/core/net/protocols.ts
const GIT_PROTOCOLS = ['https', 'http', 'ssh', 'file'];

;// CONCATENATED MODULE: ./src/core/oci/reference.ts
/**
 * An image reference as Docker reads it, split into what the registry API
 * needs: which registry, which repository, which tag or digest.
 *
 * Docker's rules for a name without a registry: the first component is a
 * registry host only when it contains a dot or a colon, or is `localhost`;
 * otherwise the image is on Docker Hub (`docker.io`), and a name of one
 * component is an official image under `library/` (`python:3.12` is
 * `docker.io/library/python:3.12`). Docker Hub's registry API is not served
 * at `docker.io` itself but at its API host, the one place that mapping
 * lives (`registryApiOrigin`).
 *
 * The reference has already passed `parseBaseImage` (render/dockerfile.ts):
 * lower-case name, a tag other than `latest` and/or a sha256 digest.
 */
const DOCKER_HUB = 'docker.io';
/** Docker Hub's registry API host (Docker's own default; `docker.io` names the registry, this host serves it). */
const DOCKER_HUB_API = 'registry-1.docker.io';
function parseImageReference(text) {
    const at = text.indexOf('@');
    const nameTag = at === -1 ? text : text.slice(0, at);
    const digest = at === -1 ? undefined : text.slice(at + 1);
    const slash = nameTag.lastIndexOf('/');
    const colon = nameTag.lastIndexOf(':');
    const tag = colon > slash ? nameTag.slice(colon + 1) : undefined;
    const name = tag === undefined ? nameTag : nameTag.slice(0, colon);
    const first = name.split('/')[0] ?? '';
    const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
    let registry = hasRegistry ? first : DOCKER_HUB;
    let repository = hasRegistry ? name.slice(first.length + 1) : name;
    // Docker's other spellings of Docker Hub.
    if (registry === 'index.docker.io' || registry === 'registry-1.docker.io')
        registry = DOCKER_HUB;
    if (registry === DOCKER_HUB && !repository.includes('/'))
        repository = `library/${repository}`;
    return { text, registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}
/**
 * Where the registry's HTTP API is: always https. An image reference has no
 * scheme, and a redirect from https down to http is refused like any other.
 */
function registryApiOrigin(registry) {
    return `https://${registry === DOCKER_HUB ? DOCKER_HUB_API : registry}`;
}
/**
 * The reference by digest alone: `name@sha256:…`, the name as given (so
 * `python` stays `python`). Not `name:tag@sha256:…`: Docker and BuildKit
 * accept that form and ignore the tag, but buildah and skopeo 1.x (Debian
 * 12's) refuse it as an invalid reference. The tag is kept in the
 * Dockerfile's header comment and in job.json.
 */
function withDigest(ref, digest) {
    const at = ref.text.indexOf('@');
    const nameTag = at === -1 ? ref.text : ref.text.slice(0, at);
    const name = ref.tag === undefined ? nameTag : nameTag.slice(0, nameTag.length - ref.tag.length - 1);
    return `${name}@${digest}`;
}
/** `docker.io/library/python:3.12`: the fully qualified name, for messages and job.json. */
function qualifiedName(ref) {
    return `${ref.registry}/${ref.repository}${ref.tag !== undefined ? `:${ref.tag}` : ''}`;
}

;// CONCATENATED MODULE: ./src/core/oci/registry-client.ts
/**
 * Asks a container registry which manifest a tag names, over the OCI
 * distribution API: `GET /v2/<repository>/manifests/<tag>`, with an Accept
 * header listing the four manifest types (OCI index, Docker manifest list,
 * OCI manifest, Docker manifest v2), so that a multi-platform tag answers
 * with its index and the digest pins every platform at once.
 *
 * The digest is always the sha256 of the manifest's bytes as served (read
 * whole, at most 4 MiB, the limit the spec sets for manifests); a
 * `Docker-Content-Digest` header must agree with it. A HEAD answer's digest
 * alone is never recorded: it names bytes nobody has seen, and a registry can
 * name a manifest it would never serve. (A GET of a manifest counts toward
 * Docker Hub's anonymous pull limit where a HEAD does not: one GET per pack
 * is the price of a pin that names real bytes.)
 *
 * Authentication is the anonymous bearer-token flow Docker Hub and GHCR use:
 * a 401 with `WWW-Authenticate: Bearer realm=…,service=…` sends us to the
 * realm for a token scoped to pulling this one repository; no credentials
 * are ever sent. The realm must be https (`tokenRealmVerdict`). The token
 * goes by the one credential rule (net/token-origin.ts): to the registry's
 * own origin, only while every hop of the request stayed there. It is secret
 * by construction, so it is redacted from log messages; being the server's
 * choice, it is used only when it looks like a real token (at least
 * `MIN_TOKEN_CHARS` characters), so that it cannot be a short, common string
 * that would blank out log text where it happens to occur.
 *
 * Every request goes through net/http-request.ts: https only, the address
 * policy at every hop (the realm, a redirect), redirects checked, idle
 * timeout, the caller's signal; transient failures are retried.
 */






const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const MANIFEST_TYPES = [OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST];
const INDEX_TYPES = new Set([OCI_INDEX, DOCKER_MANIFEST_LIST]);
/** The distribution spec's limit on a manifest a registry must accept. */
const registry_client_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_TOKEN_ANSWER_BYTES = 64 * 1024;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** What a bearer token may contain (RFC 6750's b64token, plus the dots of a JWT). */
const TOKEN_CHARS = /^[A-Za-z0-9\-._~+/]+=*$/;
/**
 * The shortest bearer token used. Real ones are JWTs or long random strings;
 * a short one (`1.2.3.4`) is no secret worth the name, and as a registered
 * secret it would mask that text wherever it occurs in the log.
 */
const MIN_TOKEN_CHARS = 16;
/**
 * The registry answered, and the answer means the tag cannot be pinned (no
 * such tag or repository, access refused, an unsupported manifest). Not
 * retried: asking again gives the same answer.
 */
class RegistryAnswerError extends DownloadError {
    reason;
    constructor(message, reason) {
        super(message, false);
        this.reason = reason;
    }
}
/** Resolves `ref`'s tag to the digest of the manifest (or index) it names. */
async function resolveTagDigest(ref, req) {
    if (ref.tag === undefined)
        throw new Error('resolveTagDigest: the reference has no tag');
    return withRetry({ attempts: req.attempts, delayMs: req.retryDelayMs, signal: req.signal, logger: req.logger, what: `Resolving ${qualifiedName(ref)}` }, () => resolveOnce(ref, ref.tag, req), (err) => err instanceof DownloadError && err.retryable, (err) => (err instanceof RetryableDownloadError ? err.retryAfterMs : undefined));
}
async function resolveOnce(ref, tag, req) {
    const origin = registryApiOrigin(ref.registry);
    const url = new URL(`${origin}/v2/${ref.repository}/manifests/${encodeURIComponent(tag)}`);
    const name = qualifiedName(ref);
    let token;
    const get = () => openUrl({
        ...req,
        url,
        method: 'GET',
        label: `base image ${name}`,
        subject: { name: `the container registry of ${name}`, rule: 'Container registries must be on public addresses' },
        // The token for the registry's origin only, and only while every hop stayed there (a blob store, a CDN get none).
        headers: (hops) => {
            const bearer = credentialForHops(token === undefined ? undefined : { value: token, origin }, hops);
            return { accept: MANIFEST_TYPES.join(', '), ...(bearer !== undefined ? { authorization: `Bearer ${bearer}` } : {}) };
        }
    });
    let got = await get();
    if (got.res.statusCode === 401) {
        got.res.resume();
        token = await fetchToken(ref, new URL(origin), got.res.headers['www-authenticate'], req);
        got = await get();
    }
    const status = got.res.statusCode ?? 0;
    if (status !== 200) {
        got.res.resume();
        throwForStatus(status, got.res.headers['retry-after'], name, token !== undefined);
    }
    // The bytes themselves, hashed here: what is pinned is what was served.
    const body = await readSmallBody(got.res, got.url, registry_client_MAX_MANIFEST_BYTES, req);
    const digest = `sha256:${(0,external_node_crypto_namespaceObject.createHash)('sha256').update(body).digest('hex')}`;
    const said = header(got.res.headers['docker-content-digest']);
    // Another algorithm's digest (sha512) cannot be checked here, and is not what is recorded.
    if (said !== undefined && DIGEST.test(said) && said !== digest) {
        throw new RegistryAnswerError(`${name}: the registry said the manifest's digest is ${said}, but its bytes hash to ${digest}; not pinned to either`, 'unsupported');
    }
    const mediaType = contentType(got.res.headers['content-type']) ?? mediaTypeOf(body);
    if (mediaType === undefined || !MANIFEST_TYPES.includes(mediaType)) {
        throw new RegistryAnswerError(`${name}: the registry answered with a manifest of type ${mediaType ?? '(none)'}, not an OCI or Docker v2 manifest or index`, 'unsupported');
    }
    return { digest, mediaType, multiArch: INDEX_TYPES.has(mediaType) };
}
function throwForStatus(status, retryAfterHeader, name, hadToken) {
    if (status === 404) {
        throw new RegistryAnswerError(`${name}: the registry has no such tag (or repository) (HTTP 404)`, 'unknown-tag');
    }
    if (status === 401 || status === 403) {
        throw new RegistryAnswerError(`${name}: the registry refused ${hadToken ? 'the anonymous token' : 'anonymous access'} (HTTP ${status}); a private image cannot be pinned without credentials`, 'refused');
    }
    const message = `${name}: the registry answered HTTP ${status}`;
    if (RETRY_STATUS(status))
        throw new RetryableDownloadError(message, retryAfter(retryAfterHeader));
    throw new DownloadError(message);
}
function tokenRealmVerdict(realm, registry) {
    if (realm.protocol === 'https:')
        return 'ok';
    if (realm.protocol !== 'http:')
        return 'not-http';
    return registry.protocol === 'http:' && realm.origin === registry.origin ? 'ok' : 'plain-http';
}
/** The anonymous bearer-token flow: the challenge's realm gives a token for pulling this repository. */
async function fetchToken(ref, registry, challengeHeader, req) {
    const name = qualifiedName(ref);
    const challenge = parseBearerChallenge(header(challengeHeader));
    if (!challenge) {
        throw new RegistryAnswerError(`${name}: the registry asks for credentials without offering a bearer token (${describeChallenge(header(challengeHeader))}); only anonymous access is used`, 'refused');
    }
    let realm;
    try {
        realm = new URL(challenge.realm);
    }
    catch {
        throw new RegistryAnswerError(`${name}: the registry's token realm is not a URL`, 'unsupported');
    }
    const verdict = tokenRealmVerdict(realm, registry);
    if (verdict !== 'ok') {
        const shown = req.redactor.apply(realm.href);
        throw new RegistryAnswerError(verdict === 'not-http'
            ? `${name}: refused the token realm ${shown}: a ${realm.protocol} URL; a token realm must be an https URL`
            : `${name}: refused the token realm ${shown}: plain http, which would carry the token in clear; a token realm must be https (http only on the registry's own origin, when the registry itself is http)`, 'refused');
    }
    if (challenge.service !== undefined)
        realm.searchParams.set('service', challenge.service);
    // Our own scope, whatever the challenge proposes: pulling this one repository is all we need.
    realm.searchParams.set('scope', `repository:${ref.repository}:pull`);
    const opened = await openUrl({
        ...req,
        url: realm,
        method: 'GET',
        label: `token for ${name}`,
        subject: { name: `the token realm of ${name}`, rule: 'Token realms must be on public addresses' },
        headers: () => ({ accept: 'application/json' })
    });
    const status = opened.res.statusCode ?? 0;
    if (status !== 200) {
        opened.res.resume();
        const message = `${name}: the token service ${req.redactor.apply(realm.origin)} answered HTTP ${status}`;
        if (RETRY_STATUS(status))
            throw new RetryableDownloadError(message, retryAfter(header(opened.res.headers['retry-after'])));
        throw new RegistryAnswerError(`${message}; no anonymous token`, 'refused');
    }
    const body = await readSmallBody(opened.res, opened.url, MAX_TOKEN_ANSWER_BYTES, req);
    let token;
    try {
        const json = JSON.parse(body.toString('utf8'));
        token = json.token ?? json.access_token;
    }
    catch {
        token = undefined;
    }
    if (typeof token !== 'string' || !TOKEN_CHARS.test(token) || token.length < MIN_TOKEN_CHARS) {
        throw new RegistryAnswerError(`${name}: the token service's answer holds no usable token (a bearer token of at least ${MIN_TOKEN_CHARS} characters, without spaces)`, 'unsupported');
    }
    // Secret by construction (it lets anyone pull as us): kept out of log messages. Records are not string-redacted.
    req.redactor.add(token);
    return token;
}
/** `Bearer realm="…",service="…",scope="…"` (quoted or bare values; other schemes in the same header skipped). */
function parseBearerChallenge(text) {
    if (!text)
        return undefined;
    const start = text.search(/(?:^|[\s,])Bearer\s/i);
    if (start === -1)
        return undefined;
    const params = {};
    const rest = text.slice(start).replace(/^[\s,]*Bearer\s+/i, '');
    const param = /\s*([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*(?:,|$)/y;
    for (let m = param.exec(rest); m; m = param.exec(rest)) {
        const key = m[1].toLowerCase();
        params[key] ??= (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
        if (param.lastIndex >= rest.length)
            break;
    }
    if (!params.realm)
        return undefined;
    return {
        realm: params.realm,
        ...(params.service !== undefined ? { service: params.service } : {}),
        ...(params.scope !== undefined ? { scope: params.scope } : {})
    };
}
function describeChallenge(text) {
    const scheme = text?.trim().split(/\s/)[0];
    return scheme ? `WWW-Authenticate: ${scheme.replace(/[^A-Za-z0-9-]/g, '?').slice(0, 20)}` : 'no WWW-Authenticate header';
}
function header(value) {
    return Array.isArray(value) ? value[0] : value;
}
function contentType(value) {
    const type = value?.split(';')[0]?.trim().toLowerCase();
    return type || undefined;
}
function mediaTypeOf(body) {
    try {
        const json = JSON.parse(body.toString('utf8'));
        return typeof json.mediaType === 'string' ? json.mediaType : undefined;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/core/oci/pin.ts
/**
 * Pins the Dockerfile's base image by digest at pack time, so a build later
 * starts from the same bytes the tag named today (a tag such as
 * `python:3.12-slim-bookworm` moves with every patch release).
 *
 * `pin-base-image` (a policy, never set by a spec):
 * - auto (default): resolve the tag; when the registry cannot be reached in
 *   time or has no such tag, keep the tag and warn that the base floats;
 * - require: the same, but a failure to pin fails the job;
 * - off: do not ask; the base floats, and the log and job.json say so.
 *
 * A reference that already has a digest is kept exactly as given. A
 * multi-platform tag is pinned to its index (the manifest list), not to one
 * platform's manifest, so the package still builds on every platform the
 * tag served. The whole resolution has its own short deadline
 * (`PIN_DEADLINE_MS`) so that a machine without a route to the registry
 * loses seconds, not the job's whole time limit.
 */





const PIN_MODES = ['auto', 'require', 'off'];
/** The whole resolution (the manifest GET, the token, the GET again, retries) must finish within this. */
const PIN_DEADLINE_MS = 10_000;
/** The error of `pin-base-image: require` when the base image could not be pinned. */
class BaseImagePinError extends JobPackagerError {
    constructor(message, options) {
        super('base-image', message, options);
        this.name = 'BaseImagePinError';
    }
}
const FLOATS = 'base image floats (tag without digest)';
async function pinBaseImage(req) {
    const ref = parseImageReference(req.image);
    const names = policyNames(req);
    if (ref.digest !== undefined) {
        return { reference: req.image, record: { status: 'given', requested: req.image, digest: ref.digest } };
    }
    if (req.mode === 'off') {
        const reason = `not resolved (${names('pinBaseImage', 'off')})`;
        const { warning, ...chosen } = floats(req.image, reason);
        return { ...chosen, note: warning };
    }
    const deadline = AbortSignal.timeout(req.deadlineMs ?? PIN_DEADLINE_MS);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
    try {
        const resolved = await resolveTagDigest(ref, { ...req, signal });
        const reference = withDigest(ref, resolved.digest);
        req.logger.info(`Base image ${req.image} pinned: ${reference} (${qualifiedName(ref)}; ${resolved.multiArch ? 'a multi-platform index, so every platform stays buildable' : 'a single-platform manifest'})`);
        return {
            reference,
            record: {
                status: 'pinned',
                requested: req.image,
                resolved_from: qualifiedName(ref),
                digest: resolved.digest,
                media_type: resolved.mediaType,
                multi_arch: resolved.multiArch
            }
        };
    }
    catch (err) {
        // The job's own cancellation or deadline is not ours to turn into a warning.
        if (req.signal?.aborted)
            throw req.signal.reason ?? err;
        const why = deadline.aborted
            ? `${qualifiedName(ref)}: no answer from the registry within ${Math.round((req.deadlineMs ?? PIN_DEADLINE_MS) / 1000)} s`
            : err instanceof JobPackagerError
                ? err.message
                : `${qualifiedName(ref)}: ${err.message}`;
        const reason = err instanceof RegistryAnswerError && err.reason === 'unknown-tag' ? `unknown tag: ${why}` : why;
        if (req.mode === 'require') {
            throw new BaseImagePinError(`Could not pin the base image ${req.image} by digest (${names('pinBaseImage', 'require')}): ${req.redactor.apply(reason)}. Give a reference with a digest (name@sha256:…), or keep the tag with ${names('pinBaseImage', 'auto')}.`, { cause: err });
        }
        // The reason is recorded (job.json's base_image_pin and warnings): redacted structurally, never by the registered
        // secrets, which include the registry's own token and would let it rewrite the record (redact.ts).
        return floats(req.image, redactUrl(reason));
    }
}
function floats(image, reason) {
    return {
        reference: image,
        record: { status: 'floats', requested: image, reason },
        warning: `${FLOATS}: ${image}; ${reason}. A later build may start from other bytes.`
    };
}
/**
 * job.json's environment section with the pin recorded next to the base
 * image (`base_image_pin`), and the warning, when the base floats, among the
 * section's warnings.
 */
function withBaseImagePin(env, pin) {
    const out = {};
    const after = env.detected_base_image !== undefined ? 'detected_base_image' : 'base_image_from';
    for (const [key, value] of Object.entries(env)) {
        out[key] = value;
        if (key === after)
            out.base_image_pin = pin.record;
    }
    out.base_image_pin ??= pin.record;
    if (pin.warning)
        out.warnings = [...(env.warnings ?? []), pin.warning];
    if (pin.note)
        out.notes = [...(env.notes ?? []), pin.note];
    return out;
}

;// CONCATENATED MODULE: ./src/core/render/dockerfile.ts
/**
 * Renders the `Dockerfile` (and its `.dockerignore`, see dockerignore.ts)
 * that builds and runs the package as-is:
 * `docker build -t job . && docker run --rm job`.
 *
 * What goes in comes from environment detection (detect/), and only in
 * validated form: the base image reference (parseBaseImage), versions from
 * our own lists, our own file names, apt package names that passed Debian's
 * naming rules, a commit id, an ISO date and a URL of a strict character
 * set. The first line is fixed and holds no `=`, so no text can become a
 * `# syntax=` or `# escape=` parser directive, and comment lines are reduced
 * to printable ASCII so nothing can start a new instruction.
 *
 * Layout, for layer reuse: system packages, then the dependency manifests
 * alone and their install, then the whole package; installs that need the
 * whole tree (a project install, install scripts, local requirements) run
 * after it; the repository's postBuild last, as the job's user, run from
 * where it was copied (never written into this file). The job runs as a
 * numeric non-root user; run.sh and this file
 * hold no job id, so equal jobs have equal content digests.
 */




/** Numeric, so the image needs no /etc/passwd entry for it and `USER` cannot mean root. */
const JOB_UID = 10001;
/** Writable HOME for the job's user (pip, npm and many tools write caches and config there). */
const JOB_HOME = '/home/job';
/** What each system step installs, for the comment above them. */
const SYSTEM_FROM = { gpu: "the CUDA base's Python" };
// name[:port]/path...:tag[@sha256:digest] — a tag or a digest is required, and the tag may not be `latest`.
const IMAGE_NAME = /^(?:[a-z0-9]+(?:[.-][a-z0-9]+)*(?::[0-9]{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const dockerfile_DIGEST = /^sha256:[0-9a-f]{64}$/;
/** Validates an image reference for `ARG BASE_IMAGE`. */
function parseBaseImage(value) {
    const accepted = 'an image reference with a tag other than latest and/or a sha256 digest, e.g. python:3.12-slim or debian@sha256:<64 hex>';
    const [nameTag, digest, ...rest] = value.split('@');
    let ok = false;
    if (nameTag !== undefined && rest.length === 0 && (digest === undefined || dockerfile_DIGEST.test(digest))) {
        const slash = nameTag.lastIndexOf('/');
        const colon = nameTag.lastIndexOf(':');
        const hasTag = colon > slash;
        const name = hasTag ? nameTag.slice(0, colon) : nameTag;
        const tag = hasTag ? nameTag.slice(colon + 1) : undefined;
        ok = IMAGE_NAME.test(name) && (tag === undefined ? digest !== undefined : TAG.test(tag) && tag !== 'latest');
    }
    if (!ok)
        throw new SpecError('base_image', `${describeValue(value, 100)} is not a pinned image reference`, accepted);
    return value;
}
const LABEL_SAFE = /^[A-Za-z0-9._~:/@%+=,-]+$/;
const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z$/;
/** The install steps the Dockerfile runs, in order; also listed in job.json. */
function planInstall(env) {
    return env.install;
}
const NOTHING_DETECTED = {
    dockerfile: 'generated',
    runtime: 'generic',
    aptPackages: [],
    install: [],
    installs: [],
    floats: [],
    env: [],
    reasons: ['nothing detected'],
    notes: [],
    warnings: []
};
function renderDockerfile(input) {
    const env = input.environment ?? NOTHING_DETECTED;
    if (env.dockerfile !== 'generated')
        throw new Error("renderDockerfile: the repository's own Dockerfile is used as-is");
    if (!COMMIT.test(input.commit) || !ISO_DATE.test(input.created))
        throw new Error('renderDockerfile: commit and created must be validated values');
    // Every value below reaches the file through text() (checked: no line break, no control character,
    // no trailing backslash) or sanitized() (comments); line`…` accepts nothing else (render/text.ts).
    const t = (field, value) => text_text('Dockerfile', field, value);
    const baseImage = t('the base image', parseBaseImage(input.baseImage));
    const uid = own(String(JOB_UID));
    const home = own(JOB_HOME);
    const labels = [
        line `org.opencontainers.image.revision="${t('the commit', input.commit)}"`,
        line `org.opencontainers.image.created="${t('the commit time', input.created)}"`
    ];
    if (input.sourceUrl && LABEL_SAFE.test(input.sourceUrl))
        labels.unshift(line `org.opencontainers.image.source="${t('the repository URL', input.sourceUrl)}"`);
    const envVars = ['DATA_DIR=/job/data', `HOME=${JOB_HOME}`, 'LANG=C.UTF-8'].map(own);
    // Unbuffered output, so the job's prints reach `docker logs` as they happen; pip quiet about itself.
    if (env.runtime === 'python' || env.runtime === 'conda')
        envVars.push(...['PYTHONUNBUFFERED=1', 'PIP_DISABLE_PIP_VERSION_CHECK=1', 'PIP_ROOT_USER_ACTION=ignore'].map(own));
    envVars.push(...env.env.map((e) => t(`the environment variable ${describeValue(e, 60)}`, e)));
    const steps = planInstall(env);
    const system = steps.filter((s) => s.stage === 'system');
    const before = steps.filter((s) => s.stage === 'before-code');
    const after = steps.filter((s) => s.stage === 'after-code');
    const postBuild = steps.filter((s) => s.stage === 'post-build');
    const commands = (list) => list.flatMap((s) => s.run.split(' && ').map((c) => t(`the install command from ${describeValue(s.from, 60)}`, c)));
    const run = (list) => line `RUN ${joined(list, ' \\\n    && ')}`;
    const pinned = input.pinnedFrom ? `${input.pinnedFrom} pinned by digest to ${baseImage}` : baseImage;
    const base = input.baseImageFrom === 'base-image option' ? `${pinned}, from the base-image option (detected: ${env.baseImage ?? 'none'})` : pinned;
    const lines = [
        // Fixed, and free of "=": a first comment line is where a parser directive would be read.
        line `# Generated by job-packager: builds an image that runs this package (run.sh, code/, data/) as-is.`,
        line `# ${sanitized(`Detected: ${env.reasons.join('; ')}.`)}`,
        line `# ${sanitized(`Base image: ${base}.`)}`,
        line `# Build and run: docker build -t job . && docker run --rm job`,
        // A job whose dependencies use CUDA is told how to reach the GPU, whatever its base.
        ...(runsOnGpu(env.gpu)
            ? [
                line `# On a GPU: ${own(GPU_RUN)}`,
                line `# (the host needs the NVIDIA driver and the NVIDIA Container Toolkit; without --gpus the job sees no GPU).`
            ]
            : []),
        line `# Another base image: docker build --build-arg BASE_IMAGE=<image> -t job .`,
        line `ARG BASE_IMAGE=${baseImage}`,
        line `FROM \${BASE_IMAGE}`,
        // micromamba's image runs as its own user; the installs need root, and the job's USER comes last.
        ...(env.asRoot ? [line `USER root`] : []),
        // The base's own Python first, in an instruction of its own: an installer's PATH entry below then goes in front of it.
        ...(env.baseEnv && env.baseEnv.length > 0
            ? [
                line `# The base's own Python, installed below (the CUDA base has none), comes first on PATH.`,
                line `ENV ${joined(env.baseEnv.map((e) => t("the base's environment variable", e)), ' \\\n    ')}`
            ]
            : []),
        line `ENV ${joined(envVars, ' \\\n    ')}`,
        // Created and owned up front, whatever the builder does with the ownership of folders that
        // exist before a COPY: the job may write into its working folder, and tools into HOME.
        system.length > 0
            ? line `# ${sanitized(`The job's user owns its home and code folder; then the system packages (${system.map((s) => SYSTEM_FROM[s.from] ?? `from ${s.from}`).join('; ')}).`)}`
            : line `# The job's user owns its home and code folder.`,
        run([line `mkdir -p ${home} /job/code`, line `chown ${uid}:${uid} ${home} /job /job/code`, ...commands(system)]),
        line `WORKDIR /job/code`
    ];
    if (before.length > 0) {
        const copy = [...new Set(before.flatMap((s) => s.copy))].map((f) => t(`the file name ${describeValue(f, 60)} copied before the code`, f));
        if (copy.length > 0) {
            lines.push(line `# The dependency manifests alone, then their install: a change to the code alone reuses this layer.`);
            // One COPY per folder (the root, or a configuration folder such as binder/), so each file lands where it is in code/.
            const folders = [...new Set(copy.map((f) => folderOf(f)))];
            for (const folder of folders)
                lines.push(line `COPY ${joined(copy.filter((f) => folderOf(f) === folder).map((f) => line `code/${f}`), ' ')} ${folder === '' ? line `/job/code/` : line `/job/code/${t('the configuration folder', folder)}/`}`);
            lines.push(run(commands(before)));
        }
        else {
            // Nothing to copy (dependencies named on the RUN line itself): one more layer before the code.
            lines.push(line `# The declared dependencies, before the code: a change to the code alone reuses this layer.`, run(commands(before)));
        }
    }
    lines.push(line `# The package: code/, data/, run.sh, job.json and files.sha256, owned by the job's user so it can write beside its code.`, line `COPY --chown=${uid}:${uid} . /job`);
    if (after.length > 0) {
        lines.push(line `# ${sanitized(`Installed after the code, which they need: ${after.map((s) => s.from).join(', ')}.`)}`, run(commands(after)));
    }
    if (postBuild.length > 0) {
        // The repository's own script, copied with the code and run from there, never written into this file.
        lines.push(line `# ${sanitized(`Last, as the job's user: ${postBuild.map((s) => s.from).join(', ')} (made executable first).`)}`, line `USER ${uid}:${uid}`, run(commands(postBuild)));
    }
    // Last before USER: the labels change with every commit, and an instruction that changes
    // invalidates the cache of every layer after it — the dependency layers must come first.
    lines.push(line `LABEL ${joined(labels, ' \\\n      ')}`, line `USER ${uid}:${uid}`, line `ENTRYPOINT ["/bin/sh", "/job/run.sh"]`, line ``);
    return lines.join('\n');
}
/** "binder" for "binder/requirements.txt", "" for a file at the root of code/. */
function folderOf(file) {
    const slash = file.lastIndexOf('/');
    return slash < 0 ? '' : file.slice(0, slash);
}
/**
 * Where job.json says the Dockerfile and the build context are: the only two
 * pairs pack writes (verify accepts these and nothing else, since `run` hands
 * them to the engine).
 */
const BUILD_FILES = {
    generated: { dockerfile: 'Dockerfile', build_context: '.' },
    repository: { dockerfile: 'code/Dockerfile', build_context: 'code' }
};
/**
 * The `environment` section of job.json: what was detected, why, what the
 * Dockerfile installs, and how frozen it is. `extraFloats` is for what
 * detection cannot see — the base image reference (a tag without a digest),
 * which the code that resolves base images adds.
 */
function environmentManifest(env, baseImage, baseImageFrom, extraFloats = []) {
    const repository = env.dockerfile === 'repository';
    const out = {
        summary: env.reasons.join('; '),
        ...BUILD_FILES[repository ? 'repository' : 'generated'],
        runtime: env.runtime
    };
    if (!repository) {
        out.base_image = baseImage;
        out.base_image_from = baseImageFrom;
        if (baseImageFrom === 'base-image option')
            out.detected_base_image = env.baseImage;
        if (env.gpu)
            out.gpu = env.gpu;
    }
    if (env.configFolder)
        out.config_folder = env.configFolder;
    if (env.start)
        out.start = env.start;
    if (env.version)
        out.version = env.version;
    if (env.versionFrom)
        out.version_from = env.versionFrom;
    if (env.constraint !== undefined)
        out.version_constraint = env.constraint;
    out.system_packages = env.aptPackages;
    out.install = repository ? [] : planInstall(env).map(({ from, stage, run }) => ({ from, stage, run }));
    // The repository's own Dockerfile is opaque to us: nothing can be said frozen about it.
    out.frozen = repository
        ? {
            verdict: 'not',
            ecosystems: [],
            floats: [
                {
                    kind: 'unlisted-dependencies',
                    name: 'code/Dockerfile',
                    from: 'Dockerfile',
                    why: "the repository's own Dockerfile decides the environment; job-packager does not read it"
                }
            ]
        }
        : frozenReport(env.installs, env.floats, extraFloats);
    out.notes = env.notes;
    out.warnings = env.warnings;
    return out;
}

;// CONCATENATED MODULE: ./src/core/run/types.ts
const ENGINE_NAMES = ['auto', 'buildah', 'docker', 'podman', 'none'];
const NETWORK_MODES = ['none', 'default'];

;// CONCATENATED MODULE: ./src/core/options/registry.ts
/**
 * The option registry: every field of the job spec and every option, defined
 * once. For each: the key the core uses, its name in a JSON spec (when a spec
 * may set it), its CLI flag, its Action input, its kind (parser and
 * accepted values), default, help text and group.
 *
 * Everything else is derived from this table: the CLI's argument parser and
 * `--help` (cli/args.ts, cli/help.ts), the Action's input reading
 * (action/input-helper.ts), action.yml's inputs (action/action-yml.ts), the
 * README and docs tables (scripts/docs.ts), and the names in error messages
 * (names.ts). Adding an option is one entry here plus its use in the core; a
 * test fails if any of those derived places drifts.
 *
 * Who may set what: the spec (a dispatch payload, possibly from outside)
 * says *what* to package and may choose how the environment is built; only
 * the workflow or the person running the CLI sets policy (transports,
 * private network, token origin) and limits. So policy and limit options
 * have no spec name.
 */







/** Where the Action keeps pinned datasets between runs (src/action/dataset-caches.ts). */
const DATASET_CACHE_MODES = ['auto', 'actions', 'tool', 'off'];
const GROUP_TITLES = {
    spec: 'The job spec',
    output: 'Output',
    network: 'Network and credentials',
    limits: 'Limits',
    environment: 'The image (Dockerfile)',
    action: 'The workflow artifact',
    package: 'The package',
    engine: 'The container engine'
};
/**
 * The CLI's commands (and the Action each belongs to): `pack` makes a
 * package (the main Action), `verify` checks one, `run` verifies, builds and
 * runs one and keeps its results (the `run` sub-action).
 */
const COMMAND_NAMES = ['pack', 'verify', 'run'];
/**
 * An identity that keeps each entry's own type (T inferred from its kind, and
 * whether it has a default), so the value types below can be derived and a
 * shell can read `ENTRY.default` as a T.
 */
function registry_option(def) {
    return def;
}
/** Raw text: the job spec's own parser (spec.ts) checks these fields, with field-specific messages. */
const raw = (metavar, accepted) => textKind(metavar, accepted);
/**
 * The fields of the job spec (the request body of the service this project
 * grew from, extended). Their values are parsed by spec.ts; the registry
 * knows their names and help.
 */
const SPEC_FIELDS_DEFS = {
    git_url: registry_option({
        kind: raw('URL', 'a repository URL'),
        group: 'spec',
        spec: 'git_url',
        help: 'Repository to package. https:// by default; http://, ssh:// and local paths only when allowed by [[allowProtocols]].',
        cli: { flag: 'git-url' },
        action: { input: 'git-url' }
    }),
    commit_hash: registry_option({
        kind: raw('SHA', 'a commit SHA'),
        group: 'spec',
        spec: 'commit_hash',
        help: 'Commit to package: 40 or 64 hex digits, or an unambiguous prefix of at least 7. Branch and tag names are refused.',
        cli: { flag: 'commit-hash', aliases: ['commit'] },
        action: { input: 'commit-hash' }
    }),
    data_url: registry_option({
        kind: raw('URL', 'an http(s) URL'),
        group: 'spec',
        spec: 'data_url',
        help: 'Dataset URL, downloaded into data/. Several are allowed; none for a code-only job.',
        cli: { flag: 'data-url', repeatable: true, help: 'Dataset URL, downloaded into data/; repeat for several, omit for a code-only job.' },
        action: {
            input: 'data-url',
            multiline: true,
            description: 'Dataset URLs, one per line, downloaded into data/. Leave empty for a code-only job.'
        }
    }),
    data_sha256: registry_option({
        kind: raw('HEX', 'a sha256 digest'),
        group: 'spec',
        spec: 'data_sha256',
        help: 'Pinned sha256 of the dataset at the same position. A pinned dataset is checked after download and can be reused from a cache.',
        cli: { flag: 'data-sha256', repeatable: true },
        action: {
            input: 'data-sha256',
            multiline: true,
            description: 'Pinned sha256 digests, one per line, matching data-url line by line. A pinned dataset is checked after download and can be reused from the dataset cache (dataset-cache).'
        }
    }),
    command: registry_option({
        kind: raw('CMD', 'a shell command'),
        group: 'spec',
        spec: 'command',
        help: 'Shell command that run.sh runs inside code/ (several lines allowed).',
        cli: { flag: 'command' },
        action: { input: 'command' }
    }),
    job_id: registry_option({
        kind: raw('ID', 'a job id'),
        group: 'spec',
        spec: 'job_id',
        help: 'Names the job folder and the archive ({job_id}.tar.gz): 1-64 of A-Z a-z 0-9 . _ - not starting with . or -. Default: a random UUID.',
        cli: { flag: 'job-id' },
        action: {
            input: 'job-id',
            description: 'Names the job folder, the archive and the artifact ({job-id}.tar.gz). 1-64 of A-Z a-z 0-9 . _ - not starting with . or -. Must be unique in the workflow run. Empty: spec.job_id, else a random UUID.'
        }
    })
};
/**
 * The core's options: what PackOptions accepts (options.ts). Keys are the
 * PackOptions property names.
 */
const CORE_OPTIONS = {
    submodules: registry_option({
        kind: enumKind(['false', 'true', 'recursive']),
        group: 'spec',
        spec: 'submodules',
        default: 'false',
        help: 'Submodules to fetch into code/, each at the commit its gitlink records: false (none; each one left empty is named in the log, the summary and job.json), true (those of the repository itself), recursive (nested ones too, at most [[maxSubmoduleDepth]] deep). Their URLs must pass the same checks as git-url.',
        cli: { flag: 'submodules' },
        action: { input: 'submodules' }
    }),
    outDir: registry_option({
        kind: textKind('DIR', 'a folder path'),
        group: 'output',
        default: 'jobs',
        help: 'Folder that receives {job_id}/ and {job_id}.tar.gz.',
        cli: { flag: 'output-dir', aliases: ['out'] },
        action: { input: 'output-dir', description: 'Folder (relative to the workspace) that receives {job-id}/ and {job-id}.tar.gz.' }
    }),
    compressionLevel: registry_option({
        kind: integerKind({ min: 1, max: 9 }),
        group: 'output',
        default: 6,
        help: 'gzip level of the archive, 1 (fastest) to 9 (smallest).',
        cli: { flag: 'compression-level' },
        action: { input: 'compression-level' }
    }),
    allowProtocols: registry_option({
        kind: enumListKind(GIT_PROTOCOLS),
        group: 'network',
        default: ['https'],
        help: 'Comma-separated transports allowed for git-url, from https, http, ssh, file. http also allows http:// dataset URLs.',
        cli: { flag: 'allow-protocols' },
        action: { input: 'allow-protocols' }
    }),
    allowPrivateNetwork: registry_option({
        kind: booleanKind(),
        group: 'network',
        default: false,
        help: "Allow the repository and datasets on loopback, private and link-local addresses (off so a spec cannot reach a self-hosted runner's metadata endpoint or network).",
        cli: { flag: 'allow-private-network' },
        action: { input: 'allow-private-network' }
    }),
    token: registry_option({
        kind: textKind('TOKEN', 'a token'),
        group: 'network',
        secret: true,
        help: 'Token for an https git host, sent only when the repository is on [[tokenOrigin]]. Never logged, never stored in the job.',
        cli: { env: 'JOB_PACKAGER_TOKEN', help: 'Token for a private https git host (never a flag), sent only to --token-origin.' },
        action: { input: 'token', defaultText: '${{ github.token }}' }
    }),
    tokenOrigin: registry_option({
        kind: originKind(),
        group: 'network',
        help: 'The only origin (scheme://host[:port]) the token is sent to; another repository host gets no token, so a spec cannot collect it. Empty: never send the token.',
        cli: { flag: 'token-origin', defaultText: '$GITHUB_SERVER_URL, else https://github.com' },
        action: { input: 'token-origin', defaultText: '${{ github.server_url }}', emptyIsValue: true }
    }),
    dataToken: registry_option({
        kind: textKind('TOKEN', 'a token'),
        group: 'network',
        secret: true,
        help: 'Token for private datasets, sent as "Authorization: Bearer" only to [[dataTokenOrigin]], which must then be set, and never after a redirect to another origin. Never logged, never stored in the job.',
        cli: { env: 'JOB_PACKAGER_DATA_TOKEN', help: 'Token for private datasets (never a flag), sent only to --data-token-origin.' },
        action: { input: 'data-token' }
    }),
    dataTokenOrigin: registry_option({
        kind: originKind(),
        group: 'network',
        help: 'The only origin (scheme://host[:port]) the data token is sent to; required when the data token is set (no default: the spec chooses the dataset URLs, so it must not choose where the token goes). Datasets elsewhere are fetched without it.',
        cli: { flag: 'data-token-origin' },
        action: { input: 'data-token-origin' }
    }),
    lfs: registry_option({
        kind: enumKind(['auto', 'true', 'false']),
        group: 'network',
        spec: 'lfs',
        default: 'auto',
        help: 'Git LFS objects: auto fetches them when the commit has LFS pointers (git-lfs must then be on PATH); true requires git-lfs and the objects; false keeps the pointer files, with a warning in the log, the summary and job.json.',
        cli: { flag: 'lfs' },
        action: { input: 'lfs' }
    }),
    maxDatasetBytes: registry_option({
        kind: sizeKind({ min: 1 }),
        group: 'limits',
        default: 5 * 1024 ** 3,
        help: 'Largest single dataset, in bytes or with K, M, G, T (powers of 1024).',
        cli: { flag: 'max-dataset-bytes' },
        action: { input: 'max-dataset-bytes' }
    }),
    maxTotalDatasetBytes: registry_option({
        kind: sizeKind({ min: 1 }),
        group: 'limits',
        // 20G: four datasets at the single-dataset limit. Every byte is on disk twice (the job folder and the archive), so
        // this is about what a large runner's disk can take; without it, a spec could ask for max-datasets × 5G.
        default: 20 * 1024 ** 3,
        help: 'Largest total of all datasets of a job together, in bytes or with K, M, G, T.',
        cli: { flag: 'max-total-dataset-bytes' },
        action: { input: 'max-total-dataset-bytes' }
    }),
    maxDatasets: registry_option({
        kind: integerKind({ min: 0, max: 10_000 }),
        group: 'limits',
        // 20: a job's data is a handful of files (a few sources, train/test splits). Each dataset is a download of its own
        // (with retries), a line in run.sh, job.json, the log and the job summary; many small files belong in one archive.
        default: 20,
        help: 'Most datasets (data_url entries) in one job.',
        cli: { flag: 'max-datasets' },
        action: { input: 'max-datasets' }
    }),
    maxCommandBytes: registry_option({
        kind: sizeKind({ min: 1 }),
        group: 'limits',
        // 64K: half of Linux's 128 KiB limit on one argument or environment string (MAX_ARG_STRLEN). The Action gets the
        // command as an environment variable (INPUT_COMMAND, and inside INPUT_SPEC), so a longer one cannot even start
        // the step ("Argument list too long"); it is also copied into run.sh and job.json. A longer program belongs in a
        // script in the repository.
        default: 64 * 1024,
        help: 'Largest command, in bytes of UTF-8 (K, M allowed); a longer program belongs in a script in the repository.',
        cli: { flag: 'max-command-bytes' },
        action: { input: 'max-command-bytes' }
    }),
    maxCheckoutBytes: registry_option({
        kind: sizeKind({ min: 1 }),
        group: 'limits',
        default: 2 * 1024 ** 3,
        help: 'Largest checked-out tree (sum of file sizes, submodules and Git LFS objects included), in bytes or with K, M, G, T.',
        cli: { flag: 'max-checkout-bytes' },
        action: { input: 'max-checkout-bytes' }
    }),
    maxFetchBytes: registry_option({
        kind: sizeKind({ min: 1 }),
        group: 'limits',
        default: 4 * 1024 ** 3,
        help: 'Most bytes the git fetches of a job may download together (the repository and its submodules, as git counts them while receiving), in bytes or with K, M, G, T; the fetch is stopped beyond it. The Git LFS objects of a commit together are held to it too.',
        cli: { flag: 'max-fetch-bytes' },
        action: { input: 'max-fetch-bytes' }
    }),
    maxCheckoutFiles: registry_option({
        kind: integerKind({ min: 1 }),
        group: 'limits',
        default: 200_000,
        help: 'Most files in the checked-out tree, submodules included.',
        cli: { flag: 'max-checkout-files' },
        action: { input: 'max-checkout-files' }
    }),
    maxSubmoduleDepth: registry_option({
        kind: integerKind({ min: 1, max: 100 }),
        group: 'limits',
        // 8: nesting deeper than a few levels is rare in real projects; the limit exists so that submodules that include
        // each other (at ever new commits) cannot make a job fetch without end.
        default: 8,
        help: 'Deepest nesting of submodules fetched with submodules: recursive (1: only those of the repository itself); deeper ones are an error.',
        cli: { flag: 'max-submodule-depth' },
        action: { input: 'max-submodule-depth' }
    }),
    timeoutMs: registry_option({
        kind: integerKind({ min: 1, max: 7 * 24 * 3600 }, { unit: 'seconds', scale: 1000, metavar: 'SECONDS' }),
        group: 'limits',
        default: 3600 * 1000,
        help: 'Deadline for packaging (checkout, downloads, archive), in seconds.',
        cli: { flag: 'timeout' },
        action: { input: 'timeout' }
    }),
    idleTimeoutMs: registry_option({
        kind: integerKind({ min: 1, max: 24 * 3600 }, { unit: 'seconds', scale: 1000, metavar: 'SECONDS' }),
        group: 'limits',
        default: 60 * 1000,
        help: 'A transfer that receives nothing for this many seconds is abandoned (then retried).',
        cli: { flag: 'idle-timeout' },
        action: { input: 'idle-timeout' }
    }),
    maxRedirects: registry_option({
        kind: integerKind({ min: 0, max: 20 }),
        group: 'limits',
        default: 5,
        help: 'Redirects followed per dataset download.',
        cli: { flag: 'max-redirects' },
        action: { input: 'max-redirects' }
    }),
    attempts: registry_option({
        kind: integerKind({ min: 1, max: 20 }),
        group: 'limits',
        default: 3,
        help: 'Attempts per network operation (git fetch, each download; in the Action also the artifact upload), the first included.',
        cli: { flag: 'attempts' },
        action: { input: 'attempts' }
    }),
    retryDelayMs: registry_option({
        kind: integerKind({ min: 0, max: 600_000 }, { unit: 'milliseconds', metavar: 'MS' }),
        group: 'limits',
        default: 1000,
        help: 'First back-off delay between attempts, in milliseconds; doubles each time.',
        cli: { flag: 'retry-delay-ms' },
        action: { input: 'retry-delay-ms' }
    }),
    baseImage: registry_option({
        kind: textKind('IMAGE', 'an image reference with a tag other than latest and/or a sha256 digest, e.g. python:3.12-slim', parseBaseImage),
        group: 'environment',
        spec: 'base_image',
        help: 'BASE_IMAGE of the generated Dockerfile instead of the detected one (a tag or digest, never latest). Empty: detected from the repository (see docs/CONTAINER.md).',
        cli: { flag: 'base-image' },
        action: { input: 'base-image' }
    }),
    pinBaseImage: registry_option({
        kind: enumKind(PIN_MODES),
        group: 'environment',
        default: 'auto',
        help: "Pin the Dockerfile's base image by digest, resolved through the registry's API when packaging. auto: keep the tag with a warning when the registry cannot be reached or has no such tag; require: fail instead; off: do not ask (the base floats, and job.json says so). A base image given with a digest is kept as is.",
        cli: { flag: 'pin-base-image' },
        action: { input: 'pin-base-image' }
    }),
    gpu: registry_option({
        kind: textKind('auto|cuda|off|IMAGE', 'auto, cuda, off, or a CUDA image reference (Ubuntu based) with a tag other than latest and/or a digest', gpuValue),
        group: 'environment',
        spec: 'gpu',
        default: DEFAULT_GPU,
        help: "A CUDA runtime base for a Python job (nvidia/cuda's cudnn-runtime image, Python from Ubuntu's python3 in a virtual environment), pinned by digest like any base. auto: when the dependencies use CUDA (torch, jax[cuda], cupy, …); cuda: always; off: never; an image reference: like cuda, on that CUDA image (another CUDA release, a mirror). [[baseImage]] wins over it. At run time a GPU job needs docker run --gpus all (see docs/CONTAINER.md).",
        cli: { flag: 'gpu' },
        action: { input: 'gpu' }
    }),
    rSnapshotUrl: registry_option({
        kind: textKind('URL', SNAPSHOT_URL_ACCEPTED, parseSnapshotUrl),
        group: 'environment',
        help: "A dated R package snapshot server, with {date} where the date goes: a runtime.txt r-X.Y.Z-YYYY-MM-DD (or r-YYYY-MM-DD) then sets R's CRAN repository to that day's snapshot, in the image's Rprofile.site. Empty: no snapshot server, and the date is named as not applied (R packages come from the base image's repository).",
        cli: { flag: 'r-snapshot-url' },
        action: { input: 'r-snapshot-url' }
    }),
    useRepoDockerfile: registry_option({
        kind: booleanKind(),
        group: 'environment',
        spec: 'use_repo_dockerfile',
        default: false,
        help: "Build with the repository's own Dockerfile (at its root, build context code/) instead of generating one. Ignored, with a warning, when the repository has none.",
        cli: { flag: 'use-repo-dockerfile' },
        action: { input: 'use-repo-dockerfile' }
    })
};
/** Options only a shell reads: how it presents results, and what it does around the core. */
const SHELL_OPTIONS = {
    spec: registry_option({
        kind: textKind('FILE', 'a file path, or - for standard input'),
        group: 'spec',
        help: 'The job spec as JSON: {"git_url", "commit_hash", "data_url", "command", "job_id", "data_sha256", "submodules", "lfs", "base_image", "gpu", "use_repo_dockerfile"}.',
        cli: { flag: 'spec', help: 'JSON job spec file ("-" reads standard input); the flags below override its fields.' },
        action: {
            input: 'spec',
            description: 'The whole job spec as one JSON object: {"git_url", "commit_hash", "data_url", "command"} plus optional "job_id", "data_sha256", "submodules", "lfs", "base_image", "gpu" and "use_repo_dockerfile". Typically `${{ toJSON(github.event.client_payload) }}`. The individual inputs may add fields; git-url, commit-hash, data-url, data-sha256, command, submodules, lfs, base-image, gpu and use-repo-dockerfile must agree with the spec when both are given, job-id replaces spec.job_id (see docs/ACTION.md, "Spec and inputs"). Unknown fields are an error.'
        }
    }),
    json: registry_option({
        kind: booleanKind(),
        group: 'output',
        default: false,
        commands: ['pack', 'verify', 'run'],
        help: "Print the result (or the error) as JSON on stdout (run: the job's own output then goes to stderr).",
        cli: { flag: 'json' }
    }),
    quiet: registry_option({
        kind: booleanKind(),
        group: 'output',
        default: false,
        commands: ['pack', 'verify', 'run'],
        help: 'Only warnings and errors on stderr.',
        cli: { flag: 'quiet', short: 'q' }
    }),
    verbose: registry_option({
        kind: booleanKind(),
        group: 'output',
        default: false,
        commands: ['pack', 'verify', 'run'],
        help: 'Also debug lines (git commands, redirects).',
        cli: { flag: 'verbose', short: 'v' }
    }),
    progress: registry_option({
        kind: enumKind(['auto', 'line', 'plain', 'off']),
        group: 'output',
        default: 'auto',
        help: 'How progress is shown on stderr: line (one line redrawn in place), plain (a line per item every 10 s), off; auto: line on a terminal, plain elsewhere.',
        cli: { flag: 'progress' }
    }),
    cacheDir: registry_option({
        kind: textKind('DIR', 'a folder path'),
        group: 'network',
        help: 'Reuse datasets with a pinned sha256 from this folder, and keep new ones there. Entries are re-hashed before use.',
        cli: { flag: 'cache-dir' }
    }),
    datasetCache: registry_option({
        kind: enumKind(DATASET_CACHE_MODES, { aliases: { true: 'auto', false: 'off' } }),
        group: 'network',
        default: 'auto',
        help: "Where pinned datasets (data-sha256) are kept between runs: actions (the repository's Actions cache, which survives GitHub-hosted runners), tool (the runner's tool cache, for self-hosted runners), off; auto: actions on GitHub-hosted runners, tool elsewhere. Restored files are re-hashed before use; only a successful pack saves.",
        action: { input: 'dataset-cache' }
    }),
    provenance: registry_option({
        kind: booleanKind(),
        group: 'output',
        default: true,
        help: 'Write {job-id}.intoto.json beside the archive: an in-toto statement (SLSA provenance v1) that names the archive by its sha256 and the commit and datasets it was made from. The Action uploads it as a second artifact.',
        cli: { flag: 'provenance', help: 'Write {job-id}.intoto.json beside the archive (--provenance=false: do not).' },
        action: { input: 'provenance' }
    }),
    attest: registry_option({
        kind: booleanKind(),
        group: 'action',
        default: false,
        help: "Have GitHub sign the provenance statement (an attestation, checked later with `gh attestation verify`). Needs provenance: true and the workflow's `permissions: id-token: write` and `attestations: write`.",
        action: { input: 'attest' }
    }),
    githubToken: registry_option({
        kind: textKind('TOKEN', 'a token'),
        group: 'action',
        secret: true,
        help: "Token for GitHub's API in this workflow: storing the attestation (attest). Never logged.",
        action: { input: 'github-token', defaultText: '${{ github.token }}' }
    }),
    upload: registry_option({
        kind: booleanKind(),
        group: 'action',
        default: true,
        help: 'Upload {job-id}.tar.gz as an artifact of this run (unzipped, named after the file). false: only write the job folder and archive.',
        action: { input: 'upload' }
    }),
    overwrite: registry_option({
        kind: booleanKind(),
        group: 'action',
        default: false,
        help: 'Replace an artifact of the same name already in this workflow run (a re-run of the job, or an earlier step with the same job id): it is deleted, then the new one uploaded. false: such a name conflict fails the step.',
        action: { input: 'overwrite' }
    }),
    retentionDays: registry_option({
        kind: integerKind({ min: 1, max: 90 }),
        group: 'action',
        help: "Days to keep the artifact. Empty for the repository's default.",
        action: { input: 'retention-days' }
    })
};
const hex64 = (text) => {
    const t = text
        .trim()
        .toLowerCase()
        .replace(/^sha256:/, '');
    if (!/^[0-9a-f]{64}$/.test(t))
        throw new Error('is not a sha256 digest');
    return t;
};
/** docker's --memory syntax: a whole number with an optional b, k, m or g (powers of 1024). */
const memoryLimit = (text) => {
    const m = /^(\d{1,15})([bkmg]?)$/.exec(text.trim().toLowerCase());
    if (!m)
        throw new Error('is not a memory size');
    const bytes = Number(m[1]) * 1024 ** ' kmg'.indexOf(m[2] || ' ');
    // docker refuses less than 6 MiB; no job starts in less.
    if (bytes < 6 * 1024 ** 2)
        throw new Error('is less than 6m');
    return `${m[1]}${m[2] || 'b'}`;
};
/** The gpu option: one of GPU_MODES (any case), or an image reference checked as base-image's. */
function gpuValue(text) {
    const word = text.trim().toLowerCase();
    if (GPU_MODES.includes(word))
        return word;
    return parseBaseImage(text.trim());
}
/** docker's --gpus values we pass on: all, a count, or device=ID[,ID…]. */
const gpuRequest = (text) => {
    const t = text.trim();
    if (!/^(?:all|[1-9]\d{0,2}|device=[A-Za-z0-9._:-]+(?:,[A-Za-z0-9._:-]+)*)$/.test(t))
        throw new Error('is not a GPU request');
    return t;
};
/** KEY=VALUE on one line. */
const buildArg = (text) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*=[^\n\r\0]*$/.test(text))
        throw new Error('is not KEY=VALUE');
    return text;
};
/**
 * The options of `verify` and `run` (RunOptions in run/types.ts; the keys are
 * its property names, except `runTimeoutMs`, RunOptions.timeoutMs, named so
 * to stay apart from packing's timeoutMs). None can come from a job spec: how
 * a package runs is the runner's decision, never the package's.
 */
const RUN_OPTIONS = {
    expectedSha256: registry_option({
        kind: textKind('HEX', 'a sha256 digest: 64 hex digits, optionally prefixed sha256:', hex64),
        group: 'package',
        commands: ['verify', 'run'],
        help: "The package archive's sha256 (from pack's output or the Action's archive-sha256 output); the archive is refused unless its bytes match. Only for an archive, not a job folder.",
        cli: { flag: 'sha256' },
        action: { input: 'sha256' }
    }),
    statement: registry_option({
        kind: textKind('FILE', 'a file path'),
        group: 'package',
        commands: ['verify', 'run'],
        help: "The provenance statement ({job_id}.intoto.json) the package must match: its archive's sha256, commit, datasets and content digest. Default: the one beside the archive, when there is one.",
        cli: { flag: 'statement' }
    }),
    maxPackageBytes: registry_option({
        kind: sizeKind({ min: 1 }),
        group: 'limits',
        // 24G: what pack's own limits allow (a 2G checkout and 20G of datasets), with room to spare. A few megabytes of
        // gzip can expand to terabytes; the sizes the archive declares are added up before anything is written.
        default: 24 * 1024 ** 3,
        commands: ['verify', 'run'],
        help: "Most bytes a package archive may unpack to (the sum of its files' sizes; K, M, G, T allowed); a larger one is refused before it is written. run also refuses one that would not fit the free space of its work folder.",
        cli: { flag: 'max-package-bytes' },
        action: { input: 'max-package-bytes' }
    }),
    maxPackageEntries: registry_option({
        kind: integerKind({ min: 1 }),
        group: 'limits',
        // 500,000: pack's 200,000 files with their folders, and the datasets, with room to spare.
        default: 500_000,
        commands: ['verify', 'run'],
        help: 'Most entries (files, folders and symlinks) a package archive may hold.',
        cli: { flag: 'max-package-entries' },
        action: { input: 'max-package-entries' }
    }),
    engine: registry_option({
        kind: enumKind(ENGINE_NAMES),
        group: 'engine',
        default: 'auto',
        commands: ['run'],
        help: 'What builds and runs the job: docker, podman, buildah, or none (run.sh straight on this machine, no container: only for trusted jobs on a self-hosted runner). auto: docker if its daemon answers, else podman, else buildah; never none.',
        cli: { flag: 'engine' },
        action: { input: 'engine' }
    }),
    network: registry_option({
        kind: enumKind(NETWORK_MODES),
        group: 'engine',
        default: 'none',
        commands: ['run'],
        help: "The job's network: none (no network at all) or default (the engine's default network). The image build always has the network, to install dependencies.",
        cli: { flag: 'network' },
        action: { input: 'network' }
    }),
    trustPackage: registry_option({
        kind: booleanKind(),
        group: 'engine',
        default: false,
        commands: ['run'],
        help: "Trust the package: let the engine build and run it with weaker isolation than a hostile package needs (buildah's chroot isolation, the host's network for the build). Off: buildah builds and runs under OCI isolation (runc or crun), without CAP_SYS_CHROOT, the build in a network of its own, and refuses the package where it cannot (docs/SECURITY.md).",
        cli: { flag: 'trust-package' },
        action: { input: 'trust-package' }
    }),
    gpus: registry_option({
        kind: textKind('GPUS', 'all, a number of GPUs, or device=ID[,ID...]', gpuRequest),
        group: 'engine',
        commands: ['run'],
        help: "GPUs for the job, as docker's --gpus takes them (all, 2, device=0,1); docker and podman only.",
        cli: { flag: 'gpus' },
        action: { input: 'gpus' }
    }),
    buildArgs: registry_option({
        kind: textKind('KEY=VALUE', 'KEY=VALUE', buildArg),
        group: 'engine',
        commands: ['run'],
        help: 'Build argument for the image, e.g. BASE_IMAGE=registry.example/python:3.12-slim for a mirrored base image. Recorded in result.json.',
        cli: {
            flag: 'build-arg',
            repeatable: true,
            help: 'Build argument for the image, e.g. BASE_IMAGE=my-mirror/python:3.12-slim. Recorded in result.json.'
        },
        action: {
            input: 'build-args',
            multiline: true,
            description: 'Build arguments for the image, KEY=VALUE, one per line (e.g. BASE_IMAGE for a mirrored base image). Recorded in result.json.'
        }
    }),
    workDir: registry_option({
        kind: textKind('DIR', 'a folder path'),
        group: 'engine',
        commands: ['run'],
        help: "Where the package is unpacked and the job's output folder lives while it runs. Default: a new temporary folder, removed afterwards.",
        cli: { flag: 'work-dir' }
    }),
    resultsDir: registry_option({
        kind: textKind('DIR', 'a folder path'),
        group: 'output',
        default: 'results',
        commands: ['run'],
        help: 'Folder that receives {job_id}-result/ and {job_id}-result.tar.gz.',
        cli: { flag: 'results-dir' },
        action: { input: 'results-dir' }
    }),
    runTimeoutMs: registry_option({
        kind: integerKind({ min: 1, max: 7 * 24 * 3600 }, { unit: 'seconds', scale: 1000, metavar: 'SECONDS' }),
        group: 'limits',
        default: 3600 * 1000,
        commands: ['run'],
        help: "Deadline for the job's run (the image build not included), in seconds; the container or process group is then stopped.",
        cli: { flag: 'timeout' },
        action: { input: 'timeout' }
    }),
    memory: registry_option({
        kind: textKind('SIZE', 'a memory size as docker takes it: a number with b, k, m or g, at least 6m (e.g. 512m, 2g)', memoryLimit),
        group: 'limits',
        commands: ['run'],
        help: "Memory limit of the job's container (512m, 2g). docker and podman enforce it; buildah and none cannot (a warning says so).",
        cli: { flag: 'memory' },
        action: { input: 'memory' }
    }),
    cpus: registry_option({
        kind: decimalKind({ min: 0.01, max: 1024 }, 'CPUS'),
        group: 'limits',
        commands: ['run'],
        help: "CPUs the job's container may use (1.5 allowed). docker and podman enforce it; buildah and none cannot (a warning says so).",
        cli: { flag: 'cpus' },
        action: { input: 'cpus' }
    }),
    maxOutputBytes: registry_option({
        kind: sizeKind({ min: 1 }),
        group: 'limits',
        default: 1024 ** 3,
        commands: ['run'],
        help: 'Most bytes the job may write into OUTPUT_DIR (K, M, G, T allowed); past it the job is stopped and what is over is left out of the result, which says so.',
        cli: { flag: 'max-output-bytes' },
        action: { input: 'max-output-bytes' }
    }),
    maxLogBytes: registry_option({
        kind: sizeKind({ min: 1024 }),
        group: 'limits',
        default: 10 * 1024 ** 2,
        commands: ['run'],
        help: "Most bytes of the job's stdout, and of its stderr, kept in the result (K, M, G allowed); the rest is counted, not kept.",
        cli: { flag: 'max-log-bytes' },
        action: { input: 'max-log-bytes' }
    })
};
/**
 * Options only the run sub-action (run/action.yml) reads: which package to
 * fetch and from where, what happens to the result artifact, and what a
 * failed job does to the step. (How the package runs — engine, limits,
 * results folder, expected sha256 — are RUN_OPTIONS, shared with the CLI's
 * `run`.) No CLI flags: `job-packager run` takes a file.
 */
const RUN_ACTION_OPTIONS = {
    packageJobId: registry_option({
        kind: textKind('ID', "a job id: 1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-'", parsePackageJobId),
        group: 'action',
        help: 'The job to run: the artifact {job-id}.tar.gz is downloaded (the job-id output of the packaging step). Required.',
        commands: ['run'],
        action: { input: 'job-id' }
    }),
    packageRunId: registry_option({
        kind: integerKind({ min: 1 }),
        group: 'action',
        help: 'Download the package from this workflow run (its github.run_id) instead of the current one; needs [[artifactToken]] with actions: read on [[packageRepository]]. Empty: this run.',
        commands: ['run'],
        action: { input: 'run-id' }
    }),
    packageRepository: registry_option({
        kind: textKind('OWNER/NAME', 'owner/name of a GitHub repository', parseRepository),
        group: 'action',
        help: 'The repository (owner/name) of [[packageRunId]]. Empty: this repository.',
        commands: ['run'],
        action: { input: 'repository' }
    }),
    artifactToken: registry_option({
        kind: textKind('TOKEN', 'a token'),
        group: 'action',
        secret: true,
        help: 'Token that may read the Actions artifacts of [[packageRepository]], used only with [[packageRunId]]. Never logged.',
        commands: ['run'],
        action: { input: 'github-token', defaultText: '${{ github.token }}' }
    }),
    uploadResult: registry_option({
        kind: booleanKind(),
        group: 'action',
        default: true,
        commands: ['run'],
        help: 'Upload {job-id}-result.tar.gz as an artifact of this run (unzipped, named after the file). false: only write the result folder and archive.',
        action: { input: 'upload' }
    }),
    overwriteResult: registry_option({
        kind: booleanKind(),
        group: 'action',
        // true, unlike packing's overwrite: a result is named after the package it ran, so the only other artifact of that
        // name in the run is an earlier attempt's (Re-run jobs), and the newest run's result is the one wanted. The log says
        // which artifact was replaced.
        default: true,
        commands: ['run'],
        help: 'Replace a {job-id}-result.tar.gz artifact already in this workflow run (an earlier attempt of this job, after Re-run jobs); the log names the one replaced. false: fail instead.',
        action: { input: 'overwrite' }
    }),
    resultRetentionDays: registry_option({
        kind: integerKind({ min: 1, max: 90 }),
        group: 'action',
        commands: ['run'],
        help: "Days to keep the result artifact. Empty for the repository's default.",
        action: { input: 'retention-days' }
    }),
    failOnJobFailure: registry_option({
        kind: booleanKind(),
        group: 'action',
        default: true,
        help: 'Fail the step when the job exits with a non-zero code or is stopped (timeout, output limit). false: the step passes and exit-code tells.',
        commands: ['run'],
        action: { input: 'fail-on-job-failure' }
    })
};
/** A job id for a package to fetch: the packager's rule, and never empty (there is no package to invent). */
function parsePackageJobId(text) {
    const accepted = "a job id: 1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-'";
    if (text.trim() === '')
        throw new KindProblem('is empty', accepted);
    if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/.test(text))
        throw new KindProblem(`${JSON.stringify(text.slice(0, 80))} is not a job id`, accepted);
    return text;
}
/** owner/name as GitHub spells them: letters, digits, '-', '_' and '.', one slash. */
function parseRepository(text) {
    if (!/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/.test(text) || /\/\.\.?$/.test(text))
        throw new KindProblem(`${JSON.stringify(text.slice(0, 120))} is not owner/name`, 'owner/name of a GitHub repository, e.g. octo-org/octo-repo');
    return text;
}
const GROUP_ORDER = ['spec', 'package', 'output', 'engine', 'network', 'limits', 'environment', 'action'];
/** In the order help and docs list them: by group, the spec source first, then the registry's own order within a group. */
function byGroup(entries) {
    return entries
        .map((entry, i) => ({ entry, i }))
        .sort((a, b) => GROUP_ORDER.indexOf(a.entry[1].group) - GROUP_ORDER.indexOf(b.entry[1].group) || a.i - b.i)
        .map(({ entry }) => entry);
}
/**
 * The entries of `pack` (the CLI's default command and the main Action),
 * which the main action.yml, its input reading and the docs' tables are made
 * from; the shared shell options (json, quiet, verbose) are among them.
 */
const ALL_OPTIONS = byGroup([
    ['spec', SHELL_OPTIONS.spec],
    ...Object.entries(SPEC_FIELDS_DEFS),
    ...Object.entries(CORE_OPTIONS),
    ...Object.entries(SHELL_OPTIONS).filter(([k]) => k !== 'spec')
]);
/** Every entry of every command. */
const EVERY_OPTION = byGroup([
    ...ALL_OPTIONS,
    ...Object.entries(RUN_OPTIONS),
    ...Object.entries(RUN_ACTION_OPTIONS)
]);
/** The commands an entry belongs to. */
function optionCommands(def) {
    return def.commands ?? ['pack'];
}
/** The entries one command takes, in help order (run's are what run/action.yml is made from). */
function commandOptions(command) {
    return EVERY_OPTION.filter(([, def]) => optionCommands(def).includes(command));
}
/** A help text with its `[[key]]` references named the way a shell names options. */
function helpText(text, names) {
    return text.replace(/\[\[([A-Za-z_]+)\]\]/g, (_, key) => names(key));
}
function optionDef(key) {
    return EVERY_OPTION.find(([k]) => k === key)?.[1];
}
function isCliFlag(cli) {
    return cli !== undefined && 'flag' in cli;
}

;// CONCATENATED MODULE: ./src/core/spec.ts
/**
 * The job spec: what to package (`git_url`, `commit_hash`, `data_url`,
 * `command`, plus `job_id`, `data_sha256` and the few options a spec may set,
 * see options/registry.ts), its validated form, and the parser that turns one
 * into the other. Validation runs before any network or disk work; every
 * field is checked and every refusal reported at once, each naming the field,
 * showing the (redacted) value and saying what is accepted.
 */







/** The spec's own fields; options a spec may set (base_image, …) come from the registry. */
const SPEC_FIELDS = ['git_url', 'commit_hash', 'data_url', 'data_sha256', 'command', 'job_id'];
/** Options a spec may set, by their name in the spec. */
function specOptionFields() {
    const out = new Map();
    for (const [key, def] of Object.entries(CORE_OPTIONS))
        if (def.spec)
            out.set(def.spec, key);
    return out;
}
/**
 * A field name as the core writes it in a problem (`data_url[1]`): the spec's
 * name and the list position, if any. Undefined for anything else (an option
 * key, "spec"). The shells use it to say where the user wrote the value.
 */
function splitFieldPath(field) {
    const m = /^([a-z][a-z0-9_]*)(?:\[(\d+)\])?$/.exec(field);
    if (!m?.[1])
        return undefined;
    return m[2] === undefined ? { name: m[1] } : { name: m[1], index: Number(m[2]) };
}
/** Every name a spec may use. */
function specFieldNames() {
    return [...SPEC_FIELDS, ...specOptionFields().keys()];
}

const HEX = /^[0-9a-f]+$/;
const JOB_ID = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const spec_CONTROL = /[\u0000-\u001f\u007f]/;
const ENCODED_CONTROL = /%(?:[01][0-9a-f]|7f)/i;
/** Validates a raw spec. Throws one SpecError naming every bad field. */
function parseJobSpec(raw, policy) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        throw new SpecError('spec', 'expected a JSON object', `an object with git_url, commit_hash, command and optional ${optionalFieldsText()}`);
    }
    const spec = raw;
    const known = specFieldNames();
    const problems = new ProblemCollector();
    const unknown = Object.keys(spec).filter((k) => !known.includes(k));
    if (unknown.length > 0) {
        problems.add({
            field: 'spec',
            problem: `has unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => describeValue(k, 40)).join(', ')}`,
            accepted: known.join(', ')
        });
    }
    const jobId = problems.check(() => parseJobId(spec.job_id));
    const git = problems.check(() => parseGitUrl(requireString(spec, 'git_url'), policy));
    const commit = problems.check(() => parseCommit(requireString(spec, 'commit_hash')));
    const datasets = problems.check(() => parseDatasets(spec.data_url, spec.data_sha256, policy));
    const command = problems.check(() => parseCommand(spec.command, policy));
    const options = parseSpecOptions(spec, problems);
    problems.throwIfAny();
    // Every check passed: none of these is undefined.
    return { jobId: jobId, git: git, commit: commit, datasets: datasets, command: command, options };
}
function optionalFieldsText() {
    return specFieldNames()
        .filter((f) => !['git_url', 'commit_hash', 'command'].includes(f))
        .join(', ');
}
/** The options a spec may set, each checked by its kind; absent and null mean "not set". */
function parseSpecOptions(spec, problems) {
    const options = {};
    for (const [field, key] of specOptionFields()) {
        const value = spec[field];
        if (value === undefined || value === null || value === '')
            continue;
        try {
            options[key] = CORE_OPTIONS[key].kind.fromJson(value);
        }
        catch (err) {
            if (!(err instanceof KindProblem))
                throw err;
            problems.add({ field, problem: err.problem, accepted: err.accepted });
        }
    }
    return options;
}
function requireString(spec, field) {
    const value = spec[field];
    if (value === undefined || value === null || value === '') {
        throw new SpecError(field, 'missing', acceptedFor(field));
    }
    if (typeof value !== 'string')
        throw new SpecError(field, `expected a string, got ${typeof value}`, acceptedFor(field));
    return value;
}
function acceptedFor(field) {
    switch (field) {
        case 'git_url':
            return 'an https:// repository URL (http://, ssh:// or user@host:path, and file:// or local paths only when allowed by an option)';
        case 'commit_hash':
            return 'a commit SHA: 40 or 64 hex digits, or an unambiguous prefix of at least 7';
        case 'command':
            return 'a non-empty shell command line (several lines allowed, no NUL character)';
        default:
            return 'a string';
    }
}
function parseJobId(value) {
    if (value === undefined || value === null || value === '')
        return (0,external_node_crypto_namespaceObject.randomUUID)();
    const accepted = "1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-'";
    if (typeof value !== 'string')
        throw new SpecError('job_id', `expected a string, got ${typeof value}`, accepted);
    if (!JOB_ID.test(value))
        throw new SpecError('job_id', `${describeValue(value, 80)} is not a safe name`, accepted);
    return value;
}
function parseCommit(value) {
    const v = value.trim().toLowerCase();
    const accepted = acceptedFor('commit_hash');
    if (!HEX.test(v)) {
        const why = v.startsWith('-')
            ? 'looks like an option'
            : /^(refs\/|heads\/|tags\/)|^(head|main|master)$/i.test(v) || /[~^:@{}]/.test(v)
                ? 'refs, branch names and revision expressions are not accepted'
                : 'contains characters other than hex digits';
        throw new SpecError('commit_hash', `${describeValue(value, 80)} ${why}`, accepted);
    }
    if (v.length === 40 || v.length === 64)
        return { value: v, full: true };
    if (v.length < 7 || v.length > 64)
        throw new SpecError('commit_hash', `${describeValue(value, 80)} has ${v.length} hex digits`, accepted);
    return { value: v, full: false };
}
function parseCommand(value, policy = {}) {
    const accepted = acceptedFor('command');
    if (value === undefined || value === null)
        throw new SpecError('command', 'missing', accepted);
    if (typeof value !== 'string')
        throw new SpecError('command', `expected a string, got ${typeof value}`, accepted);
    if (value.includes('\u0000'))
        throw new SpecError('command', 'contains a NUL character, which no shell can run', accepted);
    const command = value.replace(/\r\n/g, '\n');
    if (command.trim() === '')
        throw new SpecError('command', 'is empty', accepted);
    // Counted as stored: in run.sh and job.json, and in the Action's environment (see the option's default).
    const max = policy.maxCommandBytes ?? CORE_OPTIONS.maxCommandBytes.default;
    const bytes = Buffer.byteLength(command);
    if (bytes > max) {
        const names = policy.names ?? defaultNamer;
        throw new SpecError('command', `is ${bytes} bytes long, more than the limit of ${formatSize(max)} (${names('maxCommandBytes')})`, `a command of at most ${formatSize(max)} bytes; put a longer program in a script in the repository, or raise the limit (${names('maxCommandBytes', formatSize(bytes))})`);
    }
    return command;
}
/**
 * Git remote URLs. git itself runs with a protocol allow-list as a second line
 * of defence (see git-command-manager.ts); this is the first: anything git
 * could read as an option, a helper transport (`ext::`, `fd::`) or a local
 * path is refused unless the caller allowed that transport.
 */
function parseGitUrl(value, policy) {
    const accepted = acceptedFor('git_url');
    const shown = describeValue(value);
    const refuse = (why) => {
        throw new SpecError('git_url', `${shown} ${why}`, accepted);
    };
    if (value !== value.trim())
        refuse('has leading or trailing white space');
    if (spec_CONTROL.test(value))
        refuse('contains control characters');
    if (ENCODED_CONTROL.test(value))
        refuse('contains percent-encoded control characters');
    if (value.startsWith('-'))
        refuse('looks like a command-line option');
    if (/^[a-z][a-z0-9+.-]*::/i.test(value))
        refuse('uses a git remote helper transport (like ext:: or fd::), which is never allowed');
    const allow = (protocol) => {
        if (!policy.allowProtocols.has(protocol)) {
            refuse(`uses the ${protocol} transport, which is not allowed here (allowed: ${[...policy.allowProtocols].join(', ')}; to allow it: ${allowing(policy, protocol)})`);
        }
    };
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
    if (scheme === undefined) {
        // scp-like `user@host:path`: git treats it as ssh when a colon comes before any slash.
        const scp = /^(?:([^@/:\s]+)@)?([^@/:\s]+):(.*)$/.exec(value);
        if (scp && !value.startsWith('/') && !value.startsWith('.')) {
            // A user name starting with "-" starts the whole value, refused above as an option.
            const [, , host, repoPath] = scp;
            if (host.startsWith('-'))
                refuse('has a host that starts with "-"');
            if (!repoPath || repoPath.startsWith('-'))
                refuse('has a path that is empty or starts with "-"');
            allow('ssh');
            return { url: value, protocol: 'ssh' };
        }
        // Anything else is a local path.
        allow('file');
        return { url: external_node_path_default().resolve(value), protocol: 'file' };
    }
    let url;
    try {
        url = new URL(value);
    }
    catch {
        return refuse('is not a valid URL');
    }
    const isSsh = scheme === 'ssh' || scheme === 'git+ssh' || scheme === 'ssh+git';
    // ssh://git@host/ names a login, not a secret; a password never belongs in the URL.
    if (url.password || (url.username && !isSsh))
        refuse('has credentials in it; pass a token through the token input or environment variable instead');
    if (url.hash)
        refuse('has a #fragment');
    switch (scheme) {
        case 'https':
        case 'http': {
            allow(scheme);
            if (url.search)
                refuse('has a ?query string');
            if (!url.hostname)
                refuse('has no host');
            if (url.pathname === '/' || url.pathname === '')
                refuse('has no repository path');
            return { url: url.href, protocol: scheme, origin: url.origin };
        }
        case 'ssh':
        case 'git+ssh':
        case 'ssh+git': {
            allow('ssh');
            // git hands "user@host" to ssh as one argument: a user name starting with "-" would be read as an option
            // (-oProxyCommand=…). git refuses it too; we say so before git runs. Percent-encoding does not hide it.
            if (safeDecode(url.username).startsWith('-'))
                refuse('has a user name that starts with "-"');
            if (!url.hostname || url.hostname.startsWith('-'))
                refuse('has a host that is empty or starts with "-"');
            if (url.pathname.startsWith('/-'))
                refuse('has a path that starts with "-"');
            return { url: value, protocol: 'ssh' };
        }
        case 'file':
            allow('file');
            if (url.hostname && url.hostname !== 'localhost')
                refuse('names a remote host in a file:// URL');
            return { url: url.href, protocol: 'file' };
        default:
            return refuse(`uses the unsupported scheme "${scheme}:"`);
    }
}
function parseDatasets(dataUrl, dataSha, policy) {
    const entries = dataUrl === undefined || dataUrl === null || dataUrl === ''
        ? []
        : Array.isArray(dataUrl)
            ? dataUrl
            : [dataUrl];
    const shas = dataSha === undefined || dataSha === null || dataSha === '' ? [] : Array.isArray(dataSha) ? dataSha : [dataSha];
    const acceptedUrl = 'an http(s) URL (http:// only when allowed by an option), or a list of them, or a list of {"url", "sha256"} objects';
    const problems = new ProblemCollector();
    if (shas.length > entries.length) {
        problems.add({
            field: 'data_sha256',
            problem: `has ${shas.length} digests for ${entries.length} URL(s)`,
            accepted: 'one sha256 per data_url, in the same order'
        });
    }
    const maxDatasets = policy.maxDatasets ?? CORE_OPTIONS.maxDatasets.default;
    if (entries.length > maxDatasets) {
        const names = policy.names ?? defaultNamer;
        problems.add({
            field: 'data_url',
            problem: `lists ${entries.length} datasets, more than the limit of ${maxDatasets} (${names('maxDatasets')})`,
            accepted: `at most ${maxDatasets} datasets; put many small files into one archive, or raise the limit (${names('maxDatasets', String(entries.length))})`
        });
    }
    const used = new Set();
    // Each entry on its own, so that every bad one is reported.
    const datasets = entries.map((entry, i) => problems.check(() => parseDataset(entry, i)));
    problems.throwIfAny();
    return datasets.filter((d) => d !== undefined);
    function parseDataset(entry, i) {
        const field = entries.length > 1 ? `data_url[${i}]` : 'data_url';
        let urlText;
        let sha = shas[i];
        if (typeof entry === 'string')
            urlText = entry;
        else if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
            const extra = Object.keys(entry).filter((k) => k !== 'url' && k !== 'sha256');
            if (extra.length)
                throw new SpecError(field, `unknown key ${describeValue(extra[0], 40)}`, '"url" and "sha256"');
            urlText = entry.url;
            if (entry.sha256 !== undefined) {
                if (sha !== undefined && sha !== '')
                    throw new SpecError(field, 'has a sha256 both inline and in data_sha256', 'one of the two');
                sha = entry.sha256;
            }
        }
        else
            throw new SpecError(field, `expected a URL string or object, got ${Array.isArray(entry) ? 'a list' : typeof entry}`, acceptedUrl);
        if (typeof urlText !== 'string' || urlText === '')
            throw new SpecError(field, 'missing URL', acceptedUrl);
        const url = parseDataUrl(urlText, field, policy, acceptedUrl);
        const sha256 = parseSha256(sha, entries.length > 1 ? `data_sha256[${i}]` : 'data_sha256');
        const fileName = uniqueName(dataFileName(url), used);
        return { url, sha256, fileName };
    }
}
function safeDecode(text) {
    try {
        return decodeURIComponent(text);
    }
    catch {
        return text;
    }
}
/** How the user would allow one more transport, in their shell's words. */
function allowing(policy, protocol) {
    return (policy.names ?? defaultNamer)('allowProtocols', [...policy.allowProtocols, protocol].join(','));
}
function parseDataUrl(text, field, policy, accepted) {
    const refuse = (why) => {
        throw new SpecError(field, `${describeValue(text)} ${why}`, accepted);
    };
    if (text !== text.trim())
        refuse('has leading or trailing white space');
    if (spec_CONTROL.test(text))
        refuse('contains control characters');
    let url;
    try {
        url = new URL(text);
    }
    catch {
        return refuse('is not a valid absolute URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
        refuse(`uses the scheme "${url.protocol}"`);
    if (url.protocol === 'http:' && !policy.allowProtocols.has('http'))
        refuse(`uses plain http://, which is not allowed here (to allow it: ${allowing(policy, 'http')})`);
    if (url.username || url.password)
        refuse('has credentials in it');
    if (!url.hostname)
        refuse('has no host');
    url.hash = '';
    return url;
}
function parseSha256(value, field) {
    if (value === undefined || value === null || value === '')
        return undefined;
    const accepted = '64 hex digits, optionally prefixed with "sha256:"';
    if (typeof value !== 'string')
        throw new SpecError(field, `expected a string, got ${typeof value}`, accepted);
    const hex = value
        .trim()
        .toLowerCase()
        .replace(/^sha256:/, '');
    if (hex.length !== 64 || !HEX.test(hex))
        throw new SpecError(field, `${describeValue(value, 80)} is not a sha256 digest`, accepted);
    return hex;
}
/**
 * The dataset's file name: the URL path's last segment, decoded and made safe
 * so it can only ever name a file directly inside data/. Content-Disposition
 * is never consulted: the server does not choose where we write.
 *
 * Besides separators and control characters, bidirectional-text controls are
 * replaced: U+202E makes "report\u202Egpj.exe" read as "reportexe.jpg" in a log,
 * a terminal or the job summary. A long name is cut on a character boundary,
 * never inside one: a cut UTF-8 sequence or surrogate pair would become U+FFFD
 * on disk, and the file would no longer have the name the manifest gives it.
 */
function dataFileName(url) {
    const segment = url.pathname.split('/').filter(Boolean).pop() ?? '';
    let name;
    try {
        name = decodeURIComponent(segment);
    }
    catch {
        name = segment;
    }
    name = name
        .replace(UNSAFE_IN_NAME, '_')
        .replace(/^[.\s-]+/, '')
        .trim();
    if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
        const ext = cutUtf8(external_node_path_default().extname(name), MAX_EXT_BYTES);
        name = cutUtf8(name.slice(0, name.length - external_node_path_default().extname(name).length), MAX_NAME_BYTES - Buffer.byteLength(ext)) + ext;
    }
    return name === '' ? 'dataset' : name;
}
/**
 * Path separators, characters other systems refuse in names, C0/C1 controls, line and paragraph separators, bidi
 * controls, and lone surrogates (no file system name can hold one; `u` makes the class skip proper pairs).
 */
// eslint-disable-next-line no-control-regex -- control characters must not reach a file name
const UNSAFE_IN_NAME = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff/\\:*?"<>|]/gu;
const MAX_NAME_BYTES = 200;
const MAX_EXT_BYTES = 20;
/** The longest start of `text` that fits in `maxBytes` of UTF-8 and ends on a user-perceived character boundary. */
function cutUtf8(text, maxBytes) {
    let out = '';
    let bytes = 0;
    for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
        bytes += Buffer.byteLength(segment);
        if (bytes > maxBytes)
            break;
        out += segment;
    }
    return out;
}
function uniqueName(name, used) {
    let candidate = name;
    const ext = external_node_path_default().extname(name);
    const stem = ext ? name.slice(0, -ext.length) : name;
    for (let n = 2; used.has(candidate.toLowerCase()); n++)
        candidate = `${stem}-${n}${ext}`;
    used.add(candidate.toLowerCase());
    return candidate;
}

;// CONCATENATED MODULE: ./src/core/git/submodules.ts
/**
 * Submodules: the gitlinks of the checked-out tree (mode 160000 entries),
 * matched by path with the `submodule.*` sections of the commit's
 * `.gitmodules`, and — when the `submodules` option asks for them — each
 * fetched into its folder at exactly the commit the gitlink records.
 *
 * Why it is done here rather than by `git submodule update`:
 * - every URL is checked before git runs for it, by the same rules as
 *   `git_url` (spec.ts: transport allow-list, no options, no helper transports
 *   like `ext::`, no credentials, no bare local paths; then the address
 *   policy, net/git-address.ts). `.gitmodules` is the repository's content,
 *   which we do not trust; git's own submodule code would resolve and fetch
 *   URLs before we could look at them;
 * - each fetch takes the top level's path (checkout.ts: one commit by id,
 *   the full fetch when the server refuses, retries, the hardening flags),
 *   and the token goes only to the token origin (net/token-origin.ts);
 * - the limits count the whole tree: one fetch budget and one file and byte
 *   count for the repository and all of its submodules.
 *
 * Nothing is dropped silently: a submodule that is not fetched (submodules
 * false, or nested below `true`) is left an empty folder, as git leaves it,
 * and named in a warning that reaches the log, the Action's summary and
 * job.json (`warnings`); job.json lists every submodule (`source.submodules`).
 */








const NO_SUBMODULES = { mode: 'false', maxDepth: 1, tokenOrigin: '' };
/**
 * Handles the gitlinks of the top-level tree (already checked out in
 * `codeDir` by `git`, at `sha`), and recursively those of each fetched
 * submodule. Must run before any `.git` is removed.
 */
async function checkoutSubmodules(codeDir, git, sha, gitlinks, req, shared) {
    const opts = req.submodules ?? NO_SUBMODULES;
    const out = { submodules: [], warnings: [] };
    await visit({ dir: codeDir, prefix: '', git, sha, gitlinks, source: req.git, depth: 1 });
    return out;
    async function visit(repo) {
        if (repo.gitlinks.length === 0)
            return;
        const fetching = opts.mode === 'recursive' || (opts.mode === 'true' && repo.depth === 1);
        let entries;
        try {
            entries = await repo.git.gitmodules(repo.sha);
        }
        catch (err) {
            // Without fetching, an unreadable .gitmodules only costs the URLs in the warnings.
            if (fetching)
                throw new GitError(`${where(repo.prefix)}: ${err.message}`, { cause: err });
            entries = [];
        }
        for (const link of repo.gitlinks) {
            const full = repo.prefix ? `${repo.prefix}/${link.path}` : link.path;
            const entry = entries.find((e) => e.path !== undefined && e.path.replace(/\/+$/, '') === link.path);
            const rawUrl = entry?.url;
            if (!fetching) {
                const url = rawUrl === undefined ? undefined : redactUrl(tryResolve(repo.source.url, rawUrl));
                out.submodules.push({ path: full, url, commit: link.commit, included: false });
                const why = opts.mode === 'false'
                    ? `${req.names('submodules')} is false (to include it: ${req.names('submodules', repo.depth === 1 ? 'true' : 'recursive')})`
                    : `it is nested in submodule ${repo.prefix} and ${req.names('submodules')} is true, one level (to include it: ${req.names('submodules', 'recursive')})`;
                const warning = `Submodule ${full} (${url === undefined ? 'no url in .gitmodules' : describeValue(url)} at ${link.commit}) was left empty: ${why}.`;
                req.logger.warn(warning);
                out.warnings.push(warning);
                continue;
            }
            if (repo.depth > opts.maxDepth)
                throw new LimitError(`Submodule ${full} is nested ${repo.depth} deep, more than the limit of ${opts.maxDepth} (${req.names('maxSubmoduleDepth')}).`);
            if (rawUrl === undefined)
                throw new GitError(`Submodule ${full} (commit ${link.commit}) has no url in .gitmodules${repo.prefix ? ` of submodule ${repo.prefix}` : ''}, so it cannot be fetched. Add its [submodule] section to .gitmodules, or set ${req.names('submodules', 'false')} to package it empty.`);
            const source = submoduleSource(full, repo.source, rawUrl, req);
            const dir = await emptySubmoduleDir(repo.dir, link.path, full);
            const shown = req.redactor.apply(source.url);
            req.logger.info(`Submodule ${full}: ${shown} at ${link.commit}`);
            const fetched = await named(full, () => fetchRepository(req, {
                dir,
                source,
                commit: { value: link.commit, full: true },
                token: submoduleToken(source, full),
                budget: shared.budget,
                role: `submodule ${full}`,
                label: `code/${full}`,
                notFound: (commit, at) => `Submodule ${full}: commit ${commit}, which its gitlink records, was not found in ${at}: it is not on any branch or tag the server offers. Push that commit to the submodule's repository, or point the gitlink at a commit that is there.`
            }));
            const tree = await named(full, () => checkoutTree(fetched.git, link.commit, req, shared.totals, `The tree with its submodules (at ${full})`));
            req.logger.info(`Checked out submodule ${full} at ${link.commit} (${tree.files} files, ${tree.bytes} bytes, ${fetched.mode} fetch)`);
            // Its own LFS files, by the same rules as the top level's: its endpoint comes from its URL or its .lfsconfig, the
            // token only to the token origin, sizes counted with the whole tree. Its warnings name it.
            const prefixed = (text) => `Submodule ${full}: ${text}`;
            const logger = Object.assign(Object.create(req.logger), { warn: (text) => req.logger.warn(prefixed(text)) });
            const lfs = await named(full, () => resolveLfs(fetched.git, dir, link.commit, shared.totals, {
                mode: 'auto',
                tokenOrigin: '',
                ...req.lfs,
                source,
                allowProtocols: req.allowProtocols,
                allowPrivateNetwork: req.allowPrivateNetwork,
                lookup: req.lookup,
                limits: req.limits,
                names: req.names,
                logger,
                redactor: req.redactor,
                signal: req.signal
            }));
            shared.totals.bytes += lfs?.addedBytes ?? 0;
            if (lfs)
                out.warnings.push(...lfs.warnings.map(prefixed));
            out.submodules.push({ path: full, url: redactUrl(source.url), commit: link.commit, included: true, ...(lfs ? { lfs } : {}) });
            await visit({ dir, prefix: full, git: fetched.git, sha: link.commit, gitlinks: tree.gitlinks, source, depth: repo.depth + 1 });
        }
    }
    /** The token only for a submodule on the token origin; held back (and said) otherwise. */
    function submoduleToken(source, full) {
        const decision = tokenForRepository(source, opts.token, opts.tokenOrigin);
        if (decision.withheldFrom)
            req.logger.info(opts.tokenOrigin
                ? `The token is not sent to ${decision.withheldFrom} (submodule ${full}): it is only sent to ${opts.tokenOrigin} (${req.names('tokenOrigin')}).`
                : `The token is not sent to ${decision.withheldFrom} (submodule ${full}): ${req.names('tokenOrigin')} is empty.`);
        return decision.token;
    }
}
function where(prefix) {
    return prefix ? `.gitmodules of submodule ${prefix}` : 'The repository';
}
/** Runs one step of a submodule's checkout; git's errors are prefixed with the submodule's path. */
async function named(full, step) {
    try {
        return await step();
    }
    catch (err) {
        // Unless the message names it already (the address check says "for submodule x").
        if (err instanceof GitError && !err.message.toLowerCase().includes(`submodule ${full.toLowerCase()}`))
            throw new GitError(`Submodule ${full}: ${err.message}`, { cause: err });
        throw err;
    }
}
/**
 * A submodule's URL, made absolute and checked like `git_url`, before git
 * runs for it. A refusal is a GitError naming the submodule and its URL
 * (redacted), with what would be accepted.
 */
function submoduleSource(full, parent, rawUrl, req) {
    const refuse = (problem, accepted) => {
        throw new GitError(`Submodule ${full} (url ${describeValue(rawUrl)} in .gitmodules) is refused: ${problem}. Accepted: ${accepted}.`);
    };
    let url;
    try {
        url = resolveSubmoduleUrl(parent.url, rawUrl);
    }
    catch (err) {
        return refuse(err.message, 'a URL relative to the repository that stays on its host (../other.git), or an absolute URL');
    }
    // git would read a bare name ("lib", "host/x") as a path relative to wherever it runs: never meant, never allowed.
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !url.startsWith('/') && !/^(?:[^@/:\s]+@)?[^@/:\s]+:/.test(url))
        return refuse(`${describeValue(url)} is neither an absolute URL nor relative to the repository (./ or ../)`, 'an absolute URL, or one starting with ./ or ../');
    try {
        return parseGitUrl(url, { allowProtocols: req.allowProtocols, names: req.names });
    }
    catch (err) {
        if (!(err instanceof SpecError))
            throw err;
        return refuse(url === rawUrl ? err.problem : `${err.problem} (resolved against the repository's URL)`, err.accepted);
    }
}
/**
 * git's rule for a submodule URL starting with `./` or `../`: it is relative
 * to the superproject's remote URL, taken as a folder (`./x` is below the
 * repository, `../x` beside it). Each `../` removes one path segment; one
 * that would climb over the host (or the root) is refused. Any other URL is
 * returned as written.
 */
function resolveSubmoduleUrl(base, url) {
    if (!url.startsWith('./') && !url.startsWith('../'))
        return url;
    let prefix = '';
    const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(base);
    const scp = /^(?:[^@/:\s]+@)?[^@/:\s]+:/.exec(base);
    if (scheme)
        prefix = scheme[0];
    else if (scp && !base.startsWith('/') && !base.startsWith('.'))
        prefix = scp[0];
    const rest = base.slice(prefix.length);
    const rooted = rest.startsWith('/') || (prefix !== '' && !prefix.endsWith(':'));
    const segments = rest.split('/').filter(Boolean);
    let relative = url;
    for (;;) {
        if (relative.startsWith('./'))
            relative = relative.slice(2);
        else if (relative.startsWith('../')) {
            if (segments.length === 0)
                throw new Error(`its ../ climbs above the root of ${describeValue(redactUrl(base))}`);
            segments.pop();
            relative = relative.slice(3);
        }
        else
            break;
    }
    const joined = [...segments, relative].filter(Boolean).join('/');
    return `${prefix}${rooted ? '/' : ''}${joined}`;
}
/** The absolute URL when it can be resolved, else the text as written (for warnings only). */
function tryResolve(base, url) {
    try {
        return resolveSubmoduleUrl(base, url);
    }
    catch {
        return url;
    }
}
/**
 * The folder git left for the gitlink: every part of the path below the
 * repository must be a real folder (never a link, which would send the
 * submodule's files elsewhere), and the last one empty.
 */
async function emptySubmoduleDir(repoDir, rel, full) {
    let dir = repoDir;
    for (const part of rel.split('/')) {
        dir = external_node_path_default().join(dir, part);
        const st = await (0,promises_namespaceObject.lstat)(dir).catch(() => undefined);
        if (!st?.isDirectory())
            throw new GitError(`Submodule ${full}: ${st?.isSymbolicLink() ? 'its path goes through a symbolic link' : 'its folder is missing'} after checkout.`);
    }
    if ((await (0,promises_namespaceObject.readdir)(dir)).length > 0)
        throw new GitError(`Submodule ${full}: its folder is not empty after checkout.`);
    return dir;
}

;// CONCATENATED MODULE: ./src/core/git/checkout.ts
/**
 * Checks out exactly one commit into `code/`, fetching as little as possible:
 * the commit alone, one level deep, over protocol v2. Falls back to fetching
 * branches and tags with history when the server refuses an unadvertised SHA
 * (protocol v0 servers without allowAnySHA1InWant), and resolves short SHAs
 * unambiguously, against the history. Submodules are found in the
 * checked-out tree and, when asked for, fetched into it by the same path
 * (submodules.ts). Afterwards every `.git` is deleted: the package carries the
 * tree, not the history.
 */









/** Failures worth another attempt: the network, not the request. */
const TRANSIENT = /RPC failed|early EOF|unexpected disconnect|hung up unexpectedly|Connection reset|Connection refused|Connection timed out|timed out|Operation too slow|Could not resolve host|Failed to connect|returned error: (5\d\d|408|429)|HTTP\/2 stream|SSL_ERROR|gnutls/i;
const AUTH = /Authentication failed|could not read Username|could not read Password|returned error: 40[13]|terminal prompts disabled|Permission denied \(publickey/i;
const REDIRECT = /returned error: (30[1278])/;
const NOT_FOUND = /returned error: 404|Repository not found|does not appear to be a git repository|repository '.*' not found/i;
class GitFetchError extends GitError {
    result;
    constructor(message, result) {
        super(message);
        this.result = result;
    }
}
async function checkoutCommit(codeDir, req) {
    const budget = {
        bytes: req.limits.maxFetchBytes,
        spent: 0,
        exceeded: () => new LimitError(`The git fetches received more than ${req.limits.maxFetchBytes} bytes, the limit (${req.names('maxFetchBytes')}), and were stopped.`)
    };
    const { git, sha, mode } = await fetchRepository(req, {
        dir: codeDir,
        source: req.git,
        commit: req.commit,
        token: req.token,
        budget,
        role: 'git_url',
        label: 'code',
        notFound: (commit, where) => `Commit ${commit} was not found in ${where}: it is not on any branch or tag the server offers. Check commit_hash, and that the commit was pushed.`
    });
    const totals = { files: 0, bytes: 0 };
    const tree = await checkoutTree(git, sha, req, totals, "The commit's tree");
    const committed = await git.headCommitTime();
    const commitTime = clampCommitTime(committed);
    if (commitTime !== committed) {
        req.logger.warn(`The commit's committer time (${committed} s since 1970) cannot be recorded; the package uses ${new Date(commitTime * 1000).toISOString()} instead (tar mtimes, job.json, the Dockerfile label).`);
    }
    req.logger.info(`Checked out ${sha} (${tree.files} files, ${tree.bytes} bytes, ${mode} fetch)`);
    // Before .git goes: git-lfs keeps its objects there, and reads the pointers' attributes from the object store.
    const lfs = await resolveLfs(git, codeDir, sha, totals, {
        mode: 'auto',
        tokenOrigin: '',
        ...req.lfs,
        source: req.git,
        allowProtocols: req.allowProtocols,
        allowPrivateNetwork: req.allowPrivateNetwork,
        lookup: req.lookup,
        limits: req.limits,
        names: req.names,
        logger: req.logger,
        redactor: req.redactor,
        signal: req.signal
    });
    // The submodules' limits count the LFS objects that replaced the pointers.
    totals.bytes += lfs?.addedBytes ?? 0;
    // Before any .git goes: the submodules' URLs come from the object store, and nested ones from theirs.
    const sub = await checkoutSubmodules(codeDir, git, sha, tree.gitlinks, req, { budget, totals });
    await removeGitDirs(codeDir);
    return {
        commit: sha,
        commitTime,
        fetch: mode,
        files: totals.files,
        bytes: totals.bytes,
        submodules: sub.submodules,
        ...(lfs ? { lfs } : {}),
        warnings: [...(lfs?.warnings ?? []), ...sub.warnings]
    };
}
/**
 * Fetches one commit of one repository into `target.dir`: the address
 * check (and pin), git prepared with the hardening, the token only when
 * given, the one-commit fetch with retries, and the full fetch when the
 * server will not hand the commit out by id. Returns git for that folder,
 * with the commit in its object store but nothing checked out.
 */
async function fetchRepository(req, target) {
    const pin = await checkGitAddress({
        source: target.source,
        allowPrivateNetwork: req.allowPrivateNetwork,
        names: req.names,
        lookup: req.lookup,
        role: target.role
    });
    await (0,promises_namespaceObject.mkdir)(target.dir, { recursive: true });
    const git = await GitCommandManager.create(target.dir, {
        source: target.source,
        allowProtocols: req.allowProtocols,
        token: target.token,
        resolve: pin.resolve,
        fetchBudget: target.budget,
        progressLabel: target.label,
        stallSeconds: Math.max(1, Math.round(req.limits.idleTimeoutMs / 1000)),
        logger: req.logger,
        redactor: req.redactor,
        signal: req.signal
    });
    const where = req.redactor.apply(target.source.url);
    const fetchOnce = async (what, fetch) => withRetry({ attempts: req.limits.attempts, delayMs: req.limits.retryDelayMs, signal: req.signal, logger: req.logger, what }, async () => {
        const result = await fetch();
        if (result.code !== 0)
            throw new GitFetchError(git.describeFailure(result), result);
        return result;
    }, (err) => err instanceof GitFetchError && TRANSIENT.test(err.result.stderr) && !AUTH.test(err.result.stderr)).catch((err) => {
        if (!(err instanceof GitFetchError))
            throw err;
        const stderr = err.result.stderr;
        if (AUTH.test(stderr))
            throw new GitError(`Authentication to ${where} failed: the repository is private or does not exist. Provide a token with read access (the Action's "token" input, or JOB_PACKAGER_TOKEN for the CLI). git said: ${err.message}`);
        if (NOT_FOUND.test(stderr))
            throw new GitError(`Repository ${where} was not found. git said: ${err.message}`);
        const redirect = REDIRECT.exec(stderr);
        if (redirect)
            throw redirectRefused(where, redirect[1], target.role);
        return err.result;
    });
    let sha;
    let mode = 'shallow';
    const full = async (why = 'the server would not hand out the commit by id') => {
        mode = 'full';
        req.logger.info(`Fetching branches and tags with history (${why}).`);
        const result = await fetchOnce('git fetch (full)', () => git.fetchAll());
        if (result.code !== 0)
            throw new GitError(`Could not fetch ${where}: ${git.describeFailure(result)}`);
    };
    if (target.commit.full) {
        sha = target.commit.value;
        await git.init(sha.length === 64 ? 'sha256' : 'sha1');
        req.logger.info(`Fetching commit ${sha} from ${where} (depth 1)`);
        const result = await fetchOnce('git fetch', () => git.fetchCommit(sha));
        if (result.code !== 0) {
            // Refused (REFUSED) or simply absent: only history can tell which.
            req.logger.info(`The one-commit fetch failed (${git.describeFailure(result)}).`);
            await full();
            if (!(await git.hasCommit(sha)))
                throw new GitError(target.notFound(sha, where));
        }
    }
    else {
        sha = await resolveShortSha(git, target.commit.value, full, where, target.role);
    }
    return { git, sha, mode };
}
/**
 * Checks the size of the commit's tree against the limits, counting what the
 * job has checked out before (`totals`, updated), then checks it out and
 * makes sure HEAD is that commit. `what` starts the limit messages.
 */
async function checkoutTree(git, sha, req, totals, what) {
    // Check the tree's size before writing it out: a small pack can expand to a huge tree. git is stopped at the first entry over a limit.
    const size = await git.treeSize(sha, ({ files, bytes }) => {
        if (totals.files + files > req.limits.maxCheckoutFiles)
            return new LimitError(`${what} has more than ${req.limits.maxCheckoutFiles} files, the limit (${req.names('maxCheckoutFiles')}).`);
        if (totals.bytes + bytes > req.limits.maxCheckoutBytes)
            return new LimitError(`${what} holds more than ${req.limits.maxCheckoutBytes} bytes, the limit (${req.names('maxCheckoutBytes')}).`);
        return undefined;
    });
    totals.files += size.files;
    totals.bytes += size.bytes;
    await git.checkout(sha);
    const head = await git.headCommit();
    if (head !== sha)
        throw new GitError(`Checked out ${head}, but ${sha} was requested.`);
    return size;
}
/**
 * A short SHA is resolved against the history of every branch and tag: only
 * there can it be shown to match exactly one commit. A branch or tag tip that
 * matches proves nothing (an older commit may share the prefix), so it is
 * never taken on sight. Two or more matching commits is an error that lists
 * them: we never guess.
 */
async function resolveShortSha(git, prefix, fetchFull, where, role) {
    await git.init('sha1');
    // Only to learn the object format: a SHA-256 remote needs a SHA-256 repository before the fetch.
    const refs = await git.lsRemote().catch((err) => {
        const msg = err.message;
        const redirect = REDIRECT.exec(msg);
        if (redirect)
            throw redirectRefused(where, redirect[1], role);
        if (AUTH.test(msg))
            throw new GitError(`Authentication to ${where} failed: the repository is private or does not exist. Provide a token with read access.`);
        throw err;
    });
    if (refs.some((r) => r.sha.length === 64))
        await git.init('sha256');
    await fetchFull(`only the history can show that ${prefix} names exactly one commit`);
    const commits = await git.commitsWithPrefix(prefix);
    if (commits.length === 0)
        throw new GitError(`No commit starting with ${prefix} was found in ${where}. Check commit_hash.`);
    if (commits.length > 1) {
        const shown = distinguishingPrefixes(commits);
        throw new GitError(`commit_hash ${prefix} is ambiguous in ${where}: it matches ${commits.length} commits (${shown.slice(0, 10).join(', ')}${commits.length > 10 ? ', …' : ''}). Give more hex digits, or the full commit id.`);
    }
    return commits[0];
}
/** git follows no redirect (see git-command-manager.ts): say so, rather than "could not fetch". */
function redirectRefused(where, status, role) {
    return new GitError(role === 'git_url'
        ? `${where} answered with a redirect (HTTP ${status}), which is not followed: the token and the private-network check apply to git_url's own host only. Use the address it redirects to as git_url.`
        : `${where} (${role}) answered with a redirect (HTTP ${status}), which is not followed: the token and the private-network check apply to the URL's own host only. Use the address it redirects to in .gitmodules.`);
}
/**
 * Deletes every `.git` at the top and anywhere below: folders (the
 * repository's and each submodule's, vendored repositories) and files (a
 * submodule work tree can have a `.git` file pointing at its repository).
 */
async function removeGitDirs(dir) {
    for (const entry of await (0,promises_namespaceObject.readdir)(dir, { withFileTypes: true })) {
        const full = external_node_path_default().join(dir, entry.name);
        if (entry.name === '.git')
            await (0,promises_namespaceObject.rm)(full, { recursive: true, force: true });
        else if (entry.isDirectory())
            await removeGitDirs(full);
    }
}
/** The commits shortened to one length at which they all differ (at least 12 digits), sorted. */
function distinguishingPrefixes(commits) {
    const sorted = [...commits].sort();
    let length = 12;
    for (let i = 1; i < sorted.length; i++) {
        const [a, b] = [sorted[i - 1], sorted[i]];
        let common = 0;
        while (common < a.length && a[common] === b[common])
            common++;
        length = Math.max(length, common + 1);
    }
    return sorted.map((c) => c.slice(0, length));
}

;// CONCATENATED MODULE: ./src/core/logger.ts
/** A logger that drops everything: the default for library callers. */
const silentLogger = {
    info: () => { },
    warn: () => { },
    debug: () => { },
    group: async (_name, fn) => fn()
};

;// CONCATENATED MODULE: ./src/core/options/options.ts
/**
 * PackOptions: everything about a packaging run other than the job spec. The
 * option values' names and types come from the registry (registry.ts);
 * what only a library caller can hand over (a logger, a cache, a signal, how
 * its user names options) is declared here.
 *
 * `resolveOptions` checks every value a caller gave (all problems at once),
 * and fills in the registry's defaults.
 */




const LIMIT_KEYS = [
    'maxDatasetBytes',
    'maxTotalDatasetBytes',
    'maxDatasets',
    'maxCommandBytes',
    'maxCheckoutBytes',
    'maxFetchBytes',
    'maxCheckoutFiles',
    'maxSubmoduleDepth',
    'timeoutMs',
    'idleTimeoutMs',
    'maxRedirects',
    'attempts',
    'retryDelayMs'
];
function defaultOf(key) {
    const def = CORE_OPTIONS[key];
    return def.default;
}
const DEFAULT_LIMITS = Object.freeze(Object.fromEntries(LIMIT_KEYS.map((k) => [k, defaultOf(k)])));
/**
 * The token's one origin when the caller names none: the GitHub server the
 * workflow runs against, else github.com. The same rule as the Action's
 * token-origin input default (`${{ github.server_url }}`).
 */
function defaultTokenOrigin(env = process.env) {
    const server = env.GITHUB_SERVER_URL;
    if (server) {
        try {
            return new URL(server).origin;
        }
        catch {
            // Not a URL: fall through to the public server rather than guess.
        }
    }
    return 'https://github.com';
}
/** Checks every option the caller set and fills in the defaults. Throws one SpecError naming every bad option. */
function resolveOptions(options) {
    const names = options.names ?? defaultNamer;
    const problems = new ProblemCollector();
    const values = {};
    for (const [key, def] of Object.entries(CORE_OPTIONS)) {
        const given = options[key];
        if (given === undefined) {
            values[key] = def.default;
            continue;
        }
        try {
            values[key] = def.kind.check(given);
        }
        catch (err) {
            if (!(err instanceof KindProblem))
                throw err;
            problems.add({ field: names(key), problem: def.secret ? 'is not valid' : err.problem, accepted: err.accepted });
        }
    }
    problems.throwIfAny();
    const v = values;
    return {
        ...v,
        baseImage: v.baseImage || undefined,
        token: v.token || undefined,
        dataToken: v.dataToken || undefined,
        dataTokenOrigin: v.dataTokenOrigin || undefined,
        tokenOrigin: options.tokenOrigin === undefined ? defaultTokenOrigin() : v.tokenOrigin,
        limits: Object.fromEntries(LIMIT_KEYS.map((k) => [k, v[k]])),
        names
    };
}
/**
 * Problems of options that are each valid but not together. Separate from
 * resolveOptions so that, reported with the spec's problems, they do not
 * make the spec be judged by the default policy instead of the caller's.
 */
function optionConflicts(settings) {
    const problems = [];
    // The data token has no default origin: the spec (possibly from outside) chooses the dataset URLs, so an origin
    // derived from them would let the spec choose who receives the token.
    if (settings.dataToken && !settings.dataTokenOrigin) {
        problems.push({
            field: settings.names('dataTokenOrigin'),
            problem: `is not set, but ${settings.names('dataToken')} is`,
            accepted: 'the one origin (scheme://host[:port]) the data token may be sent to, e.g. https://data.example.org'
        });
    }
    return problems;
}

;// CONCATENATED MODULE: ./src/core/render/dockerignore.ts
/**
 * Renders the `.dockerignore` beside the generated Dockerfile. The build
 * context is the package folder, and `COPY . /job` takes all of it: this
 * keeps the two build-only files out of the image, so the image holds exactly
 * what run.sh uses (code/, data/, run.sh) and the package's record of
 * itself (job.json, files.sha256). A .dockerignore pattern
 * without a slash matches at the context root only (there is no implicit
 * `**` prefix), so a repository's own code/Dockerfile is still copied.
 * Like run.sh and the Dockerfile it holds no job id.
 */
function renderDockerignore() {
    return ['# Generated by job-packager: files the image does not need.', 'Dockerfile', '.dockerignore', ''].join('\n');
}

;// CONCATENATED MODULE: ./src/version.ts
/** The packager's version, written into every manifest. A test keeps it equal to package.json's. */
const PACKAGER_NAME = 'job-packager';
const PACKAGER_VERSION = '0.1.0';

;// CONCATENATED MODULE: ./src/core/render/manifest.ts

function buildManifest(fields) {
    return {
        job_id: fields.job_id,
        schema: 'job-packager/manifest@1',
        packager: { name: PACKAGER_NAME, version: PACKAGER_VERSION },
        spec: fields.spec,
        source: fields.source,
        datasets: fields.datasets,
        ...(fields.environment ? { environment: fields.environment } : {}),
        content_digest: fields.content_digest,
        files: fields.files,
        warnings: fields.warnings
    };
}
function renderManifest(manifest) {
    return `${JSON.stringify(manifest, null, 2)}\n`;
}

;// CONCATENATED MODULE: ./src/core/render/run-script.ts
/**
 * Renders `run.sh`: the one entry point of a package, on the host and in the
 * container. POSIX sh so it runs on any base image with /bin/sh.
 *
 * The user's command is stored single-quoted in a variable and run with
 * `eval`, rather than pasted into the script: pasted text can close a heredoc
 * (a line reading EOF), join lines (a trailing backslash) or break `sh -n`;
 * a quoted word cannot. `eval` (not `sh -c`) also has no argument-size limit,
 * so a 200 KB command runs. The script holds no job id, so that equal jobs
 * with different ids have equal content digests: it reads the id from
 * job.json, whose layout we control (manifest.ts). OUTPUT_DIR is where the
 * job's results go: `job-packager run` sets it to a folder it captures.
 */

function renderRunScript(input) {
    const lines = [
        line `#!/bin/sh`,
        line `# Generated by job-packager. Runs this job's command inside code/, with the`,
        line `# datasets in data/. Works from any directory, on the host or in the`,
        line `# container built from the Dockerfile beside it: sh run.sh`,
        line `set -eu`,
        line `JOB_ROOT=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P)`,
        line `JOB_ID=$(sed -n 's/^  "job_id": "\\([A-Za-z0-9._-]*\\)",$/\\1/p' "$JOB_ROOT/job.json")`,
        line `DATA_DIR=$JOB_ROOT/data`,
        line `# Where the job writes its results: \`job-packager run\` sets it and keeps`,
        line `# what is written there; otherwise output/ beside this script, if writable.`,
        line `OUTPUT_DIR=\${OUTPUT_DIR:-$JOB_ROOT/output}`,
        line `mkdir -p "$OUTPUT_DIR" 2>/dev/null || true`,
        line `export JOB_ID JOB_ROOT DATA_DIR OUTPUT_DIR`
    ];
    if (input.dataFiles.length === 1) {
        const name = text_text('run.sh', 'the dataset file name', input.dataFiles[0]);
        lines.push(line `DATA_FILE=$DATA_DIR/${shellWord(name)}`, line `export DATA_FILE`);
    }
    lines.push(line `cd "$JOB_ROOT/code"`);
    if (input.start !== undefined) {
        const start = text_text('run.sh', 'the start script', input.start);
        lines.push(line `# The repository's start script wraps the command (it must end with exec "$@").`, line `if [ -z "\${JOB_PACKAGER_STARTED:-}" ]; then`, line `  JOB_PACKAGER_STARTED=1`, line `  export JOB_PACKAGER_STARTED`, line `  exec "$JOB_ROOT/code/"${shellWord(start)} /bin/sh "$JOB_ROOT/run.sh"`, line `fi`);
    }
    lines.push(line `# The command exactly as submitted. Strict mode is switched off for it, so it`, line `# runs as it would have in a plain shell; the script exits with its status.`, line `JOB_COMMAND=${shellWord(input.command)}`, line `set +eu`, line `eval "$JOB_COMMAND"`, line ``);
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/core/packager.ts
/**
 * The packager: the one function both shells call. It runs named phases in
 * order, each taking the values the earlier ones returned:
 *
 *   validate   spec + options, every problem at once      (spec.ts, options/)
 *   open       the output transaction                      (fs/job-output.ts)
 *   fetch      code/ ‖ data/, concurrently                 (git/checkout.ts ‖ download/datasets.ts)
 *   detect     what the code declares                       (detect/)
 *   render     run.sh, Dockerfile, .dockerignore            (render/)
 *   archive    walk; pack in one pass, hashing as it        (archive/, render/manifest.ts)
 *              reads; files.sha256 and job.json written when reached
 *   commit     rename into place                            (fs/job-output.ts)
 *   cache      pinned datasets downloaded this time are      (download/datasets.ts)
 *              offered to the dataset cache: only now, so a
 *              failed pack caches nothing; a failed save warns
 *
 * Any failure discards the transaction: no job folder, no archive, no
 * temporary files.
 */
























/**
 * Checks the spec and the options together, without touching the network or
 * the disk, and reports every problem of both in one SpecError.
 */
function validateJob(rawSpec, options = {}) {
    const problems = new ProblemCollector();
    const resolved = problems.check(() => resolveOptions(options));
    for (const conflict of resolved ? optionConflicts(resolved) : [])
        problems.add(conflict);
    // The spec's transports are checked against the caller's policy, or the default one if that was itself invalid.
    const policy = resolved ?? resolveOptions({ names: options.names });
    const spec = problems.check(() => parseJobSpec(rawSpec, {
        allowProtocols: new Set(policy.allowProtocols),
        names: policy.names,
        maxDatasets: policy.maxDatasets,
        maxCommandBytes: policy.maxCommandBytes
    }));
    if (resolved && spec) {
        // Recorded URLs are redacted structurally only (redact.ts): a secret in a URL's path would be published, so it is refused here.
        const urls = [
            ['git_url', spec.git.url],
            ...spec.datasets.map((d, i) => [spec.datasets.length > 1 ? `data_url[${i}]` : 'data_url', d.url.href])
        ];
        for (const [field, url] of urls) {
            for (const key of ['token', 'dataToken']) {
                if (recordedUrlHoldsSecret(url, [resolved[key]]))
                    problems.add({
                        field,
                        problem: `holds the value of ${resolved.names(key)} in its address, which job.json and the provenance statement would record`,
                        accepted: `a URL without the secret (${resolved.names(key)} is sent as a header, only to its origin)`
                    });
            }
        }
    }
    problems.throwIfAny();
    // Both are defined: any problem would have thrown above.
    const settings = { ...resolved };
    // Options a spec may set apply where the caller did not set them: the caller (a flag, an input) wins.
    for (const [key, value] of Object.entries(spec.options)) {
        if (options[key] === undefined && value !== undefined)
            Object.assign(settings, { [key]: value });
    }
    return { spec: spec, settings };
}
/** Packages one job. Throws JobPackagerError (SpecError for bad input) and leaves nothing behind on failure. */
async function packJob(rawSpec, options = {}) {
    const started = Date.now();
    const { spec, settings } = validateJob(rawSpec, options);
    const logger = options.logger ?? silentLogger;
    const redactor = new Redactor();
    redactor.add(settings.token);
    redactor.add(settings.dataToken);
    // One signal for the caller's cancellation and the overall deadline.
    const deadline = AbortSignal.timeout(settings.timeoutMs);
    const deadlineError = new LimitError(`The job took longer than the time limit of ${Math.round(settings.timeoutMs / 1000)} s (${settings.names('timeoutMs')}) and was stopped; nothing was written.`);
    const outer = new AbortController();
    const onDeadline = () => outer.abort(deadlineError);
    const onCancel = () => outer.abort(options.signal?.reason);
    deadline.addEventListener('abort', onDeadline, { once: true });
    options.signal?.addEventListener('abort', onCancel, { once: true });
    if (options.signal?.aborted)
        onCancel();
    const run = { settings, logger, redactor, signal: outer.signal };
    const output = await JobOutput.open(settings.outDir, spec.jobId, logger);
    try {
        logger.info(`Job ${spec.jobId}: ${redactor.apply(spec.git.url)} at ${spec.commit.value}, ${spec.datasets.length} dataset(s)`);
        const fetched = await logger.group('Fetch code and data', () => fetchPhase(output.stagingDir, spec, run, options));
        const renderStart = Date.now();
        const environment = await logger.group('Detect the environment; render run.sh and Dockerfile', async () => {
            const detected = await detectPhase(external_node_path_default().join(output.stagingDir, 'code'), run);
            return renderPhase(output.stagingDir, spec, fetched, detected, run);
        });
        const renderMs = Date.now() - renderStart;
        const archiveStart = Date.now();
        const packed = await logger.group('Write the archive', () => archivePhase(output.stagingDir, output.archiveTemp, spec, fetched, environment, run));
        run.signal.throwIfAborted();
        await output.commit();
        const archiveMs = Date.now() - archiveStart;
        const cache = options.datasetCache;
        if (cache && fetched.datasets.some((d) => d.pinned && !d.cached)) {
            await logger.group('Save datasets to the dataset cache', () => saveDatasets({ dataDir: external_node_path_default().join(output.jobDir, 'data'), datasets: fetched.datasets, cache, logger }));
        }
        return {
            jobId: spec.jobId,
            jobDir: output.jobDir,
            archivePath: output.archivePath,
            archiveSha256: packed.archive.sha256,
            archiveBytes: packed.archive.bytes,
            contentDigest: packed.digest,
            commit: fetched.checkout.commit,
            commitTime: packed.manifest.source.commit_time,
            fetch: fetched.checkout.fetch,
            datasets: fetched.datasets,
            submodules: fetched.checkout.submodules,
            warnings: packed.manifest.warnings,
            manifest: packed.manifest,
            timings: {
                checkout: fetched.checkoutMs,
                download: fetched.downloadMs,
                render: renderMs,
                archive: archiveMs,
                total: Date.now() - started
            }
        };
    }
    catch (err) {
        if (run.signal.aborted && !(err instanceof SpecError))
            throw run.signal.reason ?? err;
        // Whichever step the disk filled in, the user reads that it is full, and where.
        const full = await asDiskFull(err, output.outDir);
        // Named by the output folder the user chose, not the hidden staging folder inside it.
        throw full instanceof DiskFullError && full.folder !== output.outDir
            ? new DiskFullError(output.outDir, full.detail, { cause: err })
            : full;
    }
    finally {
        await output.discard();
        deadline.removeEventListener('abort', onDeadline);
        options.signal?.removeEventListener('abort', onCancel);
    }
}
/** The token, when the repository is on its one origin; withholding it is said, since a private repository will then fail. */
function repositoryToken(spec, run) {
    const { token, tokenOrigin, names } = run.settings;
    const decision = tokenForRepository(spec.git, token, tokenOrigin);
    if (decision.withheldFrom) {
        run.logger.info(tokenOrigin
            ? `The token is not sent to ${decision.withheldFrom}: it is only sent to ${tokenOrigin} (${names('tokenOrigin')}).`
            : `The token is not sent to ${decision.withheldFrom}: ${names('tokenOrigin')} is empty.`);
    }
    return decision.token;
}
/**
 * Checkout and downloads run at the same time (the network is usually the
 * bottleneck of both). If either fails, the other is cancelled, and both are
 * awaited before the error goes up, so nothing is still writing into the
 * staging folder while it is being removed.
 */
async function fetchPhase(stagingDir, spec, run, options) {
    const { settings, logger, redactor } = run;
    const inner = new AbortController();
    const signal = AbortSignal.any([run.signal, inner.signal]);
    const timed = async (p) => {
        const start = Date.now();
        try {
            return { value: await p(), ms: Date.now() - start };
        }
        catch (caught) {
            // Judged now, while the other branch's partial file still holds its room (see fs/disk-full.ts).
            const err = await asDiskFull(caught, stagingDir);
            inner.abort(err);
            throw err;
        }
    };
    const allowProtocols = new Set(settings.allowProtocols);
    const [checkout, datasets] = await Promise.allSettled([
        timed(() => checkoutCommit(external_node_path_default().join(stagingDir, 'code'), {
            git: spec.git,
            commit: spec.commit,
            allowProtocols,
            token: repositoryToken(spec, run),
            lfs: { mode: settings.lfs, token: settings.token, tokenOrigin: settings.tokenOrigin },
            allowPrivateNetwork: settings.allowPrivateNetwork,
            limits: settings.limits,
            names: settings.names,
            logger,
            redactor,
            signal,
            submodules: {
                mode: settings.submodules,
                maxDepth: settings.limits.maxSubmoduleDepth,
                token: settings.token,
                tokenOrigin: settings.tokenOrigin
            }
        })),
        timed(() => downloadDatasets(external_node_path_default().join(stagingDir, 'data'), {
            datasets: spec.datasets,
            limits: settings.limits,
            allowHttp: allowProtocols.has('http'),
            allowPrivateNetwork: settings.allowPrivateNetwork,
            names: settings.names,
            cache: options.datasetCache,
            auth: settings.dataToken && settings.dataTokenOrigin ? { token: settings.dataToken, origin: settings.dataTokenOrigin } : undefined,
            logger,
            redactor,
            signal
        }))
    ]);
    if (checkout.status === 'rejected' || datasets.status === 'rejected') {
        // The first real failure wins over the cancellation it caused in the other branch.
        const failed = checkout.status === 'rejected' ? checkout : datasets;
        throw inner.signal.aborted ? inner.signal.reason : failed.reason;
    }
    return { checkout: checkout.value.value, checkoutMs: checkout.value.ms, datasets: datasets.value.value, downloadMs: datasets.value.ms };
}
/** Reads the checked-out code only; what it found and why goes to the log (and, via render, job.json). */
async function detectPhase(codeDir, run) {
    const { settings } = run;
    const env = await detectEnvironment(codeDir, {
        useRepoDockerfile: settings.useRepoDockerfile,
        gpu: settings.gpu,
        baseImageGiven: settings.baseImage !== undefined,
        names: settings.names,
        rSnapshotUrl: settings.rSnapshotUrl
    });
    run.logger.info(`Environment: ${summarizeEnvironment(env)}`);
    for (const note of env.notes)
        run.logger.info(`  ${note}`);
    for (const warning of env.warnings)
        run.logger.warn(warning);
    return env;
}
/** Writes run.sh and, unless the repository's own Dockerfile is used, the Dockerfile and .dockerignore. */
async function renderPhase(stagingDir, spec, fetched, env, run) {
    const { settings, logger } = run;
    await writeNew(external_node_path_default().join(stagingDir, 'run.sh'), renderRunScript({ command: spec.command, dataFiles: fetched.datasets.map((d) => d.name), start: env.start }), 0o755);
    const baseImageFrom = settings.baseImage ? 'base-image option' : 'detection';
    const baseImage = settings.baseImage ?? env.baseImage;
    if (env.dockerfile === 'repository') {
        if (settings.baseImage) {
            logger.warn(`${settings.names('baseImage')} has no effect on the repository's own Dockerfile (pass --build-arg to docker build if it declares an ARG for its base).`);
        }
        if (settings.gpu !== 'auto' && settings.gpu !== 'off') {
            logger.warn(`${settings.names('gpu', settings.gpu)} has no effect on the repository's own Dockerfile, which chooses its own base.`);
        }
        logger.info("Build with the repository's Dockerfile: docker build -t job code");
        logger.info("The repository's Dockerfile chooses its own base image; it is not pinned here.");
        return logFrozen(environmentManifest(env, baseImage, baseImageFrom), logger);
    }
    // Detection always names a base image for a generated Dockerfile; only the repository's own has none.
    const pin = await pinBaseImage({
        image: baseImage ?? '',
        mode: settings.pinBaseImage,
        allowHttp: settings.allowProtocols.includes('http'),
        allowPrivateNetwork: settings.allowPrivateNetwork,
        idleTimeoutMs: settings.limits.idleTimeoutMs,
        maxRedirects: settings.limits.maxRedirects,
        attempts: settings.limits.attempts,
        retryDelayMs: settings.limits.retryDelayMs,
        names: settings.names,
        logger,
        redactor: run.redactor,
        signal: run.signal
    });
    if (pin.warning)
        logger.warn(pin.warning);
    if (pin.note)
        logger.info(pin.note);
    const from = pin.reference;
    const dockerfile = renderDockerfile({
        environment: env,
        baseImage: from,
        baseImageFrom,
        commit: fetched.checkout.commit,
        created: new Date(fetched.checkout.commitTime * 1000).toISOString(),
        sourceUrl: spec.git.protocol === 'https' || spec.git.protocol === 'http' ? spec.git.url : undefined,
        pinnedFrom: pin.record.status === 'pinned' ? pin.record.requested : undefined
    });
    await writeNew(external_node_path_default().join(stagingDir, 'Dockerfile'), dockerfile, 0o644);
    await writeNew(external_node_path_default().join(stagingDir, '.dockerignore'), renderDockerignore(), 0o644);
    logger.info(`Base image ${from}${settings.baseImage ? ` (${settings.names('baseImage')}; detected ${env.baseImage ?? 'none'})` : ''}`);
    // A base that floats is one of the things the verdict counts.
    const baseFloats = pin.record.status === 'floats' ? [{ kind: 'base-image', name: from, why: pin.record.reason ?? 'no digest' }] : [];
    return logFrozen(withBaseImagePin(environmentManifest(env, from, baseImageFrom, baseFloats), pin), logger);
}
/** The verdict, and what floats, in the log too (job.json has every entry). */
function logFrozen(environment, logger) {
    if (environment.frozen)
        logger.info(`Environment ${describeFrozen(environment.frozen)}`);
    return environment;
}
/**
 * One pass over the bytes: the walk hashes only what comes after the file
 * list in the archive (run.sh); everything before it (code/, data/) is hashed
 * by the archive writer while it packs. files.sha256 (each file's hash) and
 * job.json (which names the content digest) are written when the writer
 * reaches them; neither is covered by the digest.
 */
async function archivePhase(stagingDir, archiveTemp, spec, fetched, environment, run) {
    const { settings, logger, signal } = run;
    // mkdtemp made the staging folder 0700; it becomes the package's top folder.
    await (0,promises_namespaceObject.chmod)(stagingDir, 0o755);
    // files.sha256 sorts before job.json and after code/ and data/: both are written once the writer has hashed what precedes them.
    const entries = await walkTree(stagingDir, {
        exclude: new Set(['job.json', FILE_LIST]),
        hash: (rel) => comparePaths(rel, FILE_LIST) > 0,
        signal
    });
    const jobJson = { path: 'job.json', type: 'file', mode: 0o644, size: 0 };
    const fileList = { path: FILE_LIST, type: 'file', mode: 0o644, size: 0 };
    const all = [...entries, fileList, jobJson].sort((a, b) => comparePaths(a.path, b.path));
    let digest = '';
    let manifest;
    const commitTime = new Date(fetched.checkout.commitTime * 1000);
    const writeManifest = async () => {
        // The downloads hashed the datasets as they arrived; the bytes just packed must be the same ones.
        for (const d of fetched.datasets) {
            const packed = entries.find((e) => e.path === `data/${d.name}`);
            if (packed?.sha256 !== d.sha256) {
                throw new OutputError(`data/${d.name} changed on disk after it was downloaded (sha256 ${packed?.sha256 ?? 'missing'}, downloaded ${d.sha256}); nothing was kept.`);
            }
        }
        digest = contentDigest(entries);
        manifest = buildManifest({
            job_id: spec.jobId,
            spec: {
                git_url: redactUrl(spec.git.url),
                commit_hash: spec.commit.value,
                // Recorded URLs are redacted structurally only: a registered secret must never rewrite the record (redact.ts).
                data_url: spec.datasets.map((d) => redactUrl(d.url.href)),
                command: spec.command
            },
            source: {
                git_url: redactUrl(spec.git.url),
                commit: fetched.checkout.commit,
                commit_time: commitTime.toISOString(),
                submodules: fetched.checkout.submodules.map(({ path, url, commit, included, lfs }) => ({
                    path,
                    ...(url === undefined ? {} : { url }),
                    commit,
                    included,
                    ...(lfs?.objects.length ? { lfs: lfsManifest(lfs) } : {})
                })),
                ...(fetched.checkout.lfs?.objects.length ? { lfs: lfsManifest(fetched.checkout.lfs) } : {})
            },
            datasets: fetched.datasets.map(({ name, url, size, sha256 }) => ({ name, url, size, sha256 })),
            environment,
            content_digest: digest,
            files: entries.filter((e) => e.type !== 'directory').length,
            warnings: [...fetched.checkout.warnings]
        });
        const text = renderManifest(manifest);
        await writeNew(external_node_path_default().join(stagingDir, 'job.json'), text, 0o644);
        jobJson.size = Buffer.byteLength(text);
    };
    const progress = trackProgress(logger, {
        phase: 'archive',
        label: `${spec.jobId}.tar.gz`,
        unit: 'bytes',
        total: all.reduce((n, e) => n + e.size, 0)
    });
    const archive = await writeArchive({
        onProgress: (bytes) => progress.update(bytes),
        root: stagingDir,
        entries: all,
        prefix: spec.jobId,
        mtime: commitTime,
        level: settings.compressionLevel,
        dest: archiveTemp,
        signal,
        beforeEntry: async (entry, hashed) => {
            if (entry === fileList) {
                await hashed();
                // Names each file's hash, so that verify can say which file changed (the digest alone cannot).
                const text = renderFileList(entries);
                await writeNew(external_node_path_default().join(stagingDir, FILE_LIST), text, 0o644);
                fileList.size = Buffer.byteLength(text);
            }
            else if (entry === jobJson) {
                await hashed();
                await writeManifest();
            }
        }
    }).catch((err) => {
        progress.fail();
        if (err instanceof JobPackagerError || signal.aborted)
            throw err;
        throw new OutputError(`Could not write the archive: ${describeFsError(err)}.`, { cause: err });
    });
    progress.finish();
    if (!manifest)
        throw new OutputError('The archive was written without job.json; it was not kept.');
    logger.info(`${archive.entries} entries, ${archive.bytes} bytes, sha256 ${archive.sha256}; content digest ${digest}`);
    return { manifest, digest, archive };
}
/** job.json's record of the LFS files: objects only when the commit has LFS files (not for unmarked look-alikes alone). */
function lfsManifest(lfs) {
    return { fetched: lfs.fetched, ...(lfs.endpoint ? { endpoint: lfs.endpoint } : {}), objects: lfs.objects };
}
/** Creates a file that must not exist yet: O_EXCL also refuses to write through a symlink planted in the way. */
async function writeNew(file, content, mode) {
    await (0,promises_namespaceObject.writeFile)(file, content, { flag: 'wx', mode });
}

;// CONCATENATED MODULE: ./src/core/options/index.ts
/** The option registry and what is derived from it in the core. */





;// CONCATENATED MODULE: ./src/core/interrupt.ts
/**
 * SIGINT and SIGTERM, the same way in every shell (the CLI, the Action, the
 * run sub-action): the first signal asks the work to stop (the shell aborts
 * its AbortController and the core cleans up), and the process ends within
 * INTERRUPT_GRACE_MS whatever it is blocked on.
 *
 * Why a hard end is needed at all: an abort signal only reaches code that
 * listens for it. A read in libuv's thread pool (a FIFO given as --spec, a
 * file on a hung network mount) cannot be cancelled, and it keeps Node alive
 * after every promise has settled. Worse, `process.exit` does not help: on
 * the way out libuv joins its thread pool, so the exit itself waits for the
 * blocked read (a SIGTERM once took 645 s and a SIGKILL). So when the grace
 * period is over we re-raise the signal with its default action, which the
 * kernel carries out without asking the process: the exit status then says
 * "killed by SIGTERM", which is what it was. A partial output folder left
 * behind that way is removed by the next run (fs/job-output.ts).
 *
 * The timer is unref'd: a clean-up that finishes in time ends the process
 * the ordinary way, with the exit code the shell chose.
 */
/** How long the clean-up may take after the first signal; under the 5 s the project promises. */
const INTERRUPT_GRACE_MS = 4000;
/** Installs the handlers; the returned function removes them (a forced end already under way still happens). */
function handleInterrupts(options) {
    let first;
    const onSignal = (sig) => {
        if (first) {
            // A second signal while cleaning up: the user wants out now.
            options.onForcedExit(sig, 'again');
            endBySignal(sig);
            return;
        }
        first = sig;
        setTimeout(() => {
            options.onForcedExit(sig, 'timeout');
            endBySignal(sig);
        }, options.graceMs ?? INTERRUPT_GRACE_MS).unref();
        options.onInterrupt(sig);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    return () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
    };
}
/**
 * Ends the process by `sig` with its default action (no JavaScript exit
 * handlers, no join of the thread pool). Should the signal be ignored (a
 * parent can start us with SIGINT ignored), SIGKILL follows.
 */
function endBySignal(sig) {
    process.removeAllListeners(sig);
    process.kill(process.pid, sig);
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), 100).unref();
}

;// CONCATENATED MODULE: ./src/core/provenance.ts
/**
 * The provenance of a package: an in-toto statement (SLSA provenance v1
 * predicate) whose subject is `{job_id}.tar.gz` by its sha256, and whose
 * resolved dependencies are exactly what went into it — the commit (and any
 * submodule commits) and each dataset by sha256. It ties an archive to the
 * spec, the inputs and the run that made it; `attest` in the Action has it
 * signed, and `job-packager verify --provenance` checks a package against it.
 *
 * Everything in it comes from job.json (already redacted, already safe to
 * publish) and from what the shell says about where it runs: the core does
 * not read the environment. URLs are the redacted ones, never a token.
 */





const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
/** What "build" means here: packing a job spec (documented in docs/ACTION.md, "Provenance"). */
const BUILD_TYPE = 'urn:job-packager:pack:v1';
function buildProvenance(subject, context) {
    const { manifest } = subject;
    const { source } = manifest;
    const dependencies = [
        { uri: gitUri(source.git_url, source.commit), name: 'code', digest: { gitCommit: source.commit } },
        // A submodule left empty is not in the package, so not a dependency of it (job.json's warnings say so).
        ...source.submodules
            .filter((s) => s.included)
            .map((s) => ({
            ...(s.url ? { uri: gitUri(s.url, s.commit) } : {}),
            name: external_node_path_default().posix.join('code', s.path),
            digest: { gitCommit: s.commit }
        })),
        ...manifest.datasets.map((d) => ({ uri: d.url, name: `data/${d.name}`, digest: { sha256: d.sha256 } }))
    ];
    return {
        _type: STATEMENT_TYPE,
        subject: [{ name: subject.archiveName, digest: { sha256: subject.archiveSha256 } }],
        predicateType: SLSA_PROVENANCE_V1,
        predicate: {
            buildDefinition: {
                buildType: BUILD_TYPE,
                externalParameters: {
                    job: { job_id: manifest.job_id, ...manifest.spec },
                    ...(context.workflow ? { workflow: context.workflow } : {})
                },
                internalParameters: {
                    packager: { name: PACKAGER_NAME, version: PACKAGER_VERSION },
                    content_digest: manifest.content_digest,
                    ...(context.platform ? { platform: context.platform } : {})
                },
                resolvedDependencies: dependencies
            },
            runDetails: {
                builder: { id: context.builderId, version: { [PACKAGER_NAME]: PACKAGER_VERSION } },
                metadata: {
                    ...(context.invocationId ? { invocationId: context.invocationId } : {}),
                    startedOn: context.startedOn.toISOString(),
                    finishedOn: context.finishedOn.toISOString()
                }
            }
        }
    };
}
/** The statement's file beside the archive: `{job_id}.intoto.json`. */
function provenancePath(archivePath) {
    return archivePath.replace(/\.tar\.gz$/, '') + '.intoto.json';
}
/** Writes the statement beside the archive, whole or not at all (temp file + rename). */
async function writeProvenance(archivePath, statement) {
    const target = provenancePath(archivePath);
    const temp = `${target}.partial-${process.pid}`;
    try {
        await (0,promises_namespaceObject.writeFile)(temp, `${JSON.stringify(statement, null, 2)}\n`, { flag: 'wx' });
        await (0,promises_namespaceObject.rename)(temp, target);
    }
    catch (err) {
        await (0,promises_namespaceObject.rm)(temp, { force: true });
        throw new OutputError(`Could not write the provenance statement ${target}: ${describeFsError(err)}.`, { cause: err });
    }
    return target;
}
/** The CLI's builder: the packager itself, named as a package URL. */
function packagerBuilderId() {
    return `pkg:npm/${PACKAGER_NAME}@${PACKAGER_VERSION}`;
}
/** SLSA's convention for a git dependency: `git+<url>@<commit>`. */
function gitUri(url, commit) {
    return `${url.startsWith('git+') ? '' : 'git+'}${url}@${commit}`;
}
/**
 * Checks a package against its provenance statement: that the statement is
 * one of ours, names this archive (by its sha256) and exactly the commit and
 * datasets job.json records, and the same content digest. The package itself
 * has been verified already (verify.ts), so agreeing with job.json means
 * agreeing with the bytes. Throws VerificationError naming the field.
 */
function checkProvenance(file, statement, pkg) {
    const name = external_node_path_default().basename(file);
    const fail = (what) => {
        throw new VerificationError(name, `${name} does not match the package: ${what}.`);
    };
    const s = statement;
    if (!s || typeof s !== 'object' || s._type !== STATEMENT_TYPE || s.predicateType !== SLSA_PROVENANCE_V1 || !s.predicate)
        fail(`it is not an in-toto statement with a SLSA provenance v1 predicate`);
    const { manifest } = pkg;
    const subjects = Array.isArray(s.subject) ? s.subject : [];
    if (pkg.archiveSha256 !== undefined) {
        const named = subjects.find((x) => x?.digest?.sha256 === pkg.archiveSha256);
        if (!named)
            fail(`no subject has the archive's sha256 ${pkg.archiveSha256} (it names ${subjects.map((x) => `${x?.name}: ${x?.digest?.sha256}`).join(', ') || 'nothing'})`);
        if (pkg.archiveName !== undefined && named.name !== pkg.archiveName)
            fail(`the subject with this sha256 is named ${JSON.stringify(named.name)}, not ${JSON.stringify(pkg.archiveName)}`);
    }
    const build = s.predicate.buildDefinition;
    if (build?.externalParameters?.job?.job_id !== manifest.job_id)
        fail(`its job id is ${JSON.stringify(build?.externalParameters?.job?.job_id)}, job.json's ${JSON.stringify(manifest.job_id)}`);
    if (build.internalParameters?.content_digest !== manifest.content_digest)
        fail(`its content digest is ${build.internalParameters?.content_digest}, the package's ${manifest.content_digest}`);
    const deps = Array.isArray(build.resolvedDependencies) ? build.resolvedDependencies : [];
    const code = deps.find((d) => d?.name === 'code');
    if (code?.digest?.gitCommit !== manifest.source.commit)
        fail(`it names commit ${code?.digest?.gitCommit}, job.json ${manifest.source.commit}`);
    const data = deps.filter((d) => typeof d?.name === 'string' && d.name.startsWith('data/'));
    const want = manifest.datasets.map((d) => `data/${d.name} ${d.sha256}`).sort();
    const have = data.map((d) => `${d.name} ${d.digest?.sha256}`).sort();
    if (want.join('\n') !== have.join('\n'))
        fail(`its datasets (${have.join(', ') || 'none'}) are not job.json's (${want.join(', ') || 'none'})`);
}

;// CONCATENATED MODULE: ./src/core/archive/read-archive.ts
/**
 * Reads a package archive in one pass: hashes its bytes (for --sha256), and
 * every file's content (for the content digest), and — for `run` — writes
 * the tree into a folder. node-tar's Parser decodes the format (gzip, ustar,
 * pax); what lands on disk is decided here, not by node-tar's Unpack,
 * because the rules must be the packer's own (walk.ts, symlinks.ts) and
 * hold for a hand-made archive:
 *
 * - one top folder (the job id) holds everything; no absolute path, no `.`
 *   or `..` component, no empty one, no entry twice;
 * - only regular files, directories and symlinks: hard links, devices,
 *   FIFOs and types node-tar does not know are refused, not skipped;
 * - a symlink must stay inside the tree by its own text and once the
 *   tree's other links are followed (checkSymlinkChains);
 * - files are created with O_EXCL and O_NOFOLLOW, modes normalised as
 *   packing does (0755/0644), and symlinks are created last, after every
 *   file is written and every link checked, so no write can go through one.
 *
 * A refusal is an UnsafeContentError naming the entry; the caller removes
 * what was written.
 */









const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
async function readArchive(file, options = {}) {
    const keep = options.keep ?? new Map();
    const entries = new Map();
    const kept = new Map();
    const links = [];
    let top;
    let failure;
    const archiveHash = (0,external_node_crypto_namespaceObject.createHash)('sha256');
    const limits = options.limits ?? { maxBytes: Number.MAX_SAFE_INTEGER, maxEntries: Number.MAX_SAFE_INTEGER };
    // What the disk can take, less a margin for the build and the job's own output; read once, before the first write.
    const room = options.dest ? await read_archive_freeBytes(options.dest) : undefined;
    let declaredBytes = 0;
    const refuse = (name, why) => {
        throw new UnsafeContentError(`${name} in the archive ${why}; a package holds only files, folders and symlinks inside its one top folder.`);
    };
    /** The entry's path below the top folder ('' for the top folder itself), after every check. */
    const relativePath = (entry) => {
        const raw = entry.path;
        const shown = JSON.stringify(raw);
        if (raw.includes('\0'))
            refuse(shown, 'has a NUL byte in its name');
        if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw))
            refuse(shown, 'has an absolute path');
        const parts = raw.replace(/\/+$/, '').split('/');
        for (const p of parts) {
            if (p === '..')
                refuse(shown, 'has a ".." component, which would write outside the folder');
            if (p === '.' || p === '')
                refuse(shown, 'has an empty or "." component');
        }
        const [first, ...rest] = parts;
        if (top === undefined)
            top = first;
        else if (first !== top)
            refuse(shown, `is outside the top folder ${JSON.stringify(top)}`);
        return rest.join('/');
    };
    const onEntry = (entry) => {
        if (failure)
            return void entry.resume();
        try {
            handle(entry);
        }
        catch (err) {
            // A path that clashes with an earlier entry (a file where a folder is needed) fails in the file system: say which.
            failure =
                err instanceof JobPackagerError
                    ? err
                    : new UnsafeContentError(`${JSON.stringify(entry.path)} in the archive cannot be unpacked (${err.code ?? err.message}): it clashes with an earlier entry.`);
            entry.resume();
            // Nothing after a refusal is used: stop reading rather than inflate the rest (it may be a bomb).
            stopReading();
        }
    };
    const handle = (entry) => {
        const rel = relativePath(entry);
        const type = entry.type;
        if (rel === '') {
            if (type !== 'Directory')
                refuse(JSON.stringify(entry.path), 'is not a folder, but is the top entry');
            if (options.dest)
                (0,external_node_fs_namespaceObject.mkdirSync)(external_node_path_default().join(options.dest, top), { mode: 0o755 });
            return void entry.resume();
        }
        if (entries.has(rel))
            refuse(rel, 'appears twice');
        if (entries.size + 1 > limits.maxEntries) {
            throw new LimitError(`The archive holds more than ${limits.maxEntries} entries, the limit (${limits.names?.maxEntries ?? 'maxEntries'}); it was refused at ${rel}.`);
        }
        if (FILE_TYPES.has(type)) {
            declaredBytes += entry.size ?? 0;
            if (declaredBytes > limits.maxBytes) {
                throw new LimitError(`The archive unpacks to more than ${formatBytes(limits.maxBytes)}, the limit (${limits.names?.maxBytes ?? 'maxBytes'}); it was refused at ${rel} (${formatBytes(entry.size ?? 0)}).`);
            }
            if (room !== undefined && declaredBytes > room) {
                throw new OutputError(`The package does not fit in ${options.dest}: at ${rel} it needs more than the ${formatBytes(room)} free there (keeping ${formatBytes(FREE_SPACE_MARGIN)} spare). Free some space or unpack elsewhere.`);
            }
        }
        const abs = options.dest ? external_node_path_default().join(options.dest, top, rel) : undefined;
        if (abs)
            (0,external_node_fs_namespaceObject.mkdirSync)(external_node_path_default().dirname(abs), { recursive: true, mode: 0o755 });
        if (type === 'Directory') {
            entries.set(rel, { path: rel, type: 'directory', mode: 0o755, size: 0 });
            // Recursive: a hand-made archive may list a folder after what is in it.
            if (abs)
                (0,external_node_fs_namespaceObject.mkdirSync)(abs, { recursive: true, mode: 0o755 });
            return void entry.resume();
        }
        if (type === 'SymbolicLink') {
            const target = entry.linkpath ?? '';
            checkLinkTarget(rel, target);
            const e = { path: rel, type: 'symlink', mode: 0o777, size: 0, linkTarget: target, sha256: read_archive_sha256Text(target) };
            entries.set(rel, e);
            links.push(e);
            return void entry.resume();
        }
        if (type === 'Link')
            refuse(rel, `is a hard link (to ${JSON.stringify(entry.linkpath)})`);
        if (!FILE_TYPES.has(type)) {
            const what = type === 'CharacterDevice' || type === 'BlockDevice' ? 'a device file' : type === 'FIFO' ? 'a FIFO' : `of type ${type}`;
            refuse(rel, `is ${what}`);
        }
        const mode = (entry.mode ?? 0o644) & 0o100 ? 0o755 : 0o644;
        const e = { path: rel, type: 'file', mode, size: entry.size ?? 0 };
        entries.set(rel, e);
        const hash = (0,external_node_crypto_namespaceObject.createHash)('sha256');
        const fd = abs ? (0,external_node_fs_namespaceObject.openSync)(abs, external_node_fs_namespaceObject.constants.O_WRONLY | external_node_fs_namespaceObject.constants.O_CREAT | external_node_fs_namespaceObject.constants.O_EXCL | external_node_fs_namespaceObject.constants.O_NOFOLLOW, mode) : undefined;
        const keepIt = e.size <= (keep.get(rel) ?? -1);
        const chunks = [];
        let bytes = 0;
        entry.on('data', (chunk) => {
            hash.update(chunk);
            bytes += chunk.length;
            if (keepIt)
                chunks.push(chunk);
            if (fd !== undefined && !failure) {
                try {
                    for (let off = 0; off < chunk.length;)
                        off += (0,external_node_fs_namespaceObject.writeSync)(fd, chunk, off);
                }
                catch (err) {
                    failure = err;
                }
            }
        });
        entry.on('end', () => {
            if (fd !== undefined)
                (0,external_node_fs_namespaceObject.closeSync)(fd);
            if (bytes !== e.size && !failure)
                failure = new UnsafeContentError(`${rel} in the archive is cut short (${bytes} of ${e.size} bytes).`);
            e.sha256 = hash.digest('hex');
            if (keepIt)
                kept.set(rel, Buffer.concat(chunks));
        });
    };
    const parser = new rt({ strict: true });
    parser.on('entry', onEntry);
    parser.on('ignoredEntry', (entry) => {
        failure ??= new UnsafeContentError(`${JSON.stringify(entry.path)} in the archive is of an unsupported type (${entry.type}); a package holds only files, folders and symlinks.`);
    });
    const input = (0,external_node_fs_namespaceObject.createReadStream)(file);
    let stopReading = () => { };
    await new Promise((resolve, reject) => {
        const onAbort = () => {
            input.destroy();
            reject(options.signal?.reason);
        };
        options.signal?.addEventListener('abort', onAbort, { once: true });
        const done = (err) => {
            options.signal?.removeEventListener('abort', onAbort);
            if (err)
                reject(err instanceof Error ? err : new Error('the archive could not be read'));
            else
                resolve();
        };
        stopReading = () => {
            input.unpipe(parser);
            input.destroy();
            done();
        };
        input.on('data', (c) => archiveHash.update(c));
        input.on('error', done);
        parser.on('error', (err) => done(failure ?? new UnsafeContentError(`${external_node_path_default().basename(file)} is not a valid package archive (gzip-compressed tar): ${err.message}`)));
        parser.on('end', () => done());
        input.pipe(parser);
    });
    if (failure)
        throw failure;
    if (top === undefined)
        throw new UnsafeContentError(`${external_node_path_default().basename(file)} is empty: it holds no package.`);
    const list = [...entries.values()].sort((a, b) => comparePaths(a.path, b.path));
    checkSymlinkChains(list);
    if (options.dest) {
        for (const link of links.sort((a, b) => comparePaths(a.path, b.path))) {
            await (0,promises_namespaceObject.symlink)(link.linkTarget, external_node_path_default().join(options.dest, top, link.path));
        }
    }
    return { top, entries: list, sha256: archiveHash.digest('hex'), kept };
}
/** Kept free when unpacking: the build and the job's own output need room too. */
const FREE_SPACE_MARGIN = 256 * 1024 * 1024;
async function read_archive_freeBytes(dir) {
    const fs = await (0,promises_namespaceObject.statfs)(dir).catch(() => undefined);
    return fs ? Math.max(0, fs.bavail * fs.bsize - FREE_SPACE_MARGIN) : undefined;
}
function read_archive_sha256Text(text) {
    return (0,external_node_crypto_namespaceObject.createHash)('sha256').update(text).digest('hex');
}

;// CONCATENATED MODULE: ./src/core/verify.ts
/**
 * Verifies a package — an archive from `pack`, or its unpacked job folder —
 * before anything in it is trusted, and (for `run`) unpacks it safely.
 *
 * What is checked, in this order, so that the first failure names the most
 * precise path it can:
 *
 *   archive   its bytes' sha256, when the caller expects one; every entry
 *             against the packer's rules (archive/read-archive.ts): one top
 *             folder, no absolute path or `..`, no hard link or device, no
 *             symlink out of the tree
 *   job.json  parses, and is byte for byte what pack writes for its values
 *             (no field added, removed, reordered or reformatted); its
 *             job_id is the top folder's name
 *   layout    run.sh, and Dockerfile + .dockerignore when job.json says they
 *             were generated, exist; nothing else at the top besides code/
 *             and data/
 *   data/     exactly the datasets job.json lists, each of its size and sha256
 *   run.sh    is what pack renders for job.json's command and datasets
 *   files     every file and symlink against files.sha256 (each one's mode
 *             and sha256, written by pack), whose lines must make job.json's
 *             content digest: a changed, added or missing file is named
 *   digest    the content digest recomputed over every file and symlink
 *             (archive/content-digest.ts) equals job.json's, and so does the
 *             number of files
 *
 * The content digest covers every file except job.json and files.sha256,
 * which are tied to the rest by the checks above. (A package packed before
 * files.sha256 existed is checked by the digest alone, which cannot name the
 * changed file.) Only the archive's sha256 (the Action's archive-sha256
 * output, or pack's) also covers job.json's purely descriptive fields
 * (source URL, commit, environment notes).
 *
 * An archive is refused before it unpacks past max-package-bytes or
 * max-package-entries, or past the free space where it is unpacked.
 */














/** job.json and run.sh are read whole; pack writes them far smaller than this. */
const MAX_TEXT_FILE = 4 * 1024 * 1024;
/** files.sha256: about 80 bytes plus the path per file; room for the checkout limit's 200,000 files with long paths. */
const MAX_FILE_LIST = 128 * 1024 * 1024;
async function verifyPackage(source, options, logger) {
    return (await inspectPackage(source, options, logger)).result;
}
/** verifyPackage, and for `run` the unpacked tree (an archive is unpacked into `dest`; a folder is used where it is). */
async function inspectPackage(source, options, logger) {
    const abs = external_node_path_default().resolve(source);
    const st = await (0,promises_namespaceObject.stat)(abs).catch(() => undefined);
    if (!st || (!st.isFile() && !st.isDirectory())) {
        throw new SpecError('package', `${JSON.stringify(source)} ${st ? 'is neither a file nor a folder' : 'does not exist'}`, 'a package archive ({job_id}.tar.gz) or an unpacked job folder');
    }
    if (st.isDirectory() && options.expectedSha256 !== undefined) {
        throw new SpecError('expectedSha256', `applies to an archive, but ${JSON.stringify(source)} is a folder`, "the archive's path, or no sha256 for a folder");
    }
    let top;
    let entries;
    let archiveSha256;
    let root;
    let read;
    if (st.isFile()) {
        logger.info(`Verifying ${abs}${options.dest ? ' and unpacking it' : ''}`);
        const tree = await readArchive(abs, {
            dest: options.dest,
            keep: new Map([
                ['job.json', MAX_TEXT_FILE],
                ['run.sh', MAX_TEXT_FILE],
                [FILE_LIST, MAX_FILE_LIST]
            ]),
            limits: {
                // The registry's defaults, for library callers that leave the limits out.
                maxBytes: options.maxPackageBytes ?? RUN_OPTIONS.maxPackageBytes.default,
                maxEntries: options.maxPackageEntries ?? RUN_OPTIONS.maxPackageEntries.default,
                names: { maxBytes: 'max-package-bytes', maxEntries: 'max-package-entries' }
            },
            signal: options.signal
        });
        if (options.expectedSha256 !== undefined && tree.sha256 !== options.expectedSha256) {
            throw new VerificationError(external_node_path_default().basename(abs), `${external_node_path_default().basename(abs)} has sha256 ${tree.sha256}, not the expected ${options.expectedSha256}: it is not the archive that was packed (or was changed since).`);
        }
        top = tree.top;
        entries = tree.entries;
        archiveSha256 = tree.sha256;
        root = options.dest ? external_node_path_default().join(options.dest, tree.top) : undefined;
        read = (rel) => Promise.resolve(tree.kept.get(rel));
    }
    else {
        logger.info(`Verifying the job folder ${abs}`);
        top = external_node_path_default().basename(abs);
        entries = await walkTree(abs, { readOnly: true, signal: options.signal });
        root = abs;
        read = async (rel) => {
            const file = external_node_path_default().join(abs, rel);
            const s = await (0,promises_namespaceObject.lstat)(file).catch(() => undefined);
            return s?.isFile() && s.size <= (rel === FILE_LIST ? MAX_FILE_LIST : MAX_TEXT_FILE) ? (0,promises_namespaceObject.readFile)(file) : undefined;
        };
    }
    const manifest = await checkTree(top, entries, read, st.isFile(), logger);
    const statement = await checkStatement(abs, st.isFile(), options.statement, manifest, archiveSha256, logger);
    const result = {
        jobId: manifest.job_id,
        source: abs,
        sourceKind: st.isFile() ? 'archive' : 'directory',
        archiveSha256,
        archiveSha256Checked: options.expectedSha256 !== undefined,
        contentDigest: manifest.content_digest,
        files: manifest.files,
        manifest,
        ...(statement ? { statement } : {})
    };
    logger.info(`Verified ${manifest.job_id}: ${manifest.files} files match content digest ${manifest.content_digest}${archiveSha256 ? `; archive sha256 ${archiveSha256}${options.expectedSha256 ? ' (as expected)' : ' (no expected value given)'}` : ''}`);
    return { result, root };
}
/**
 * The provenance statement, when one is given or lies beside the archive
 * ({job_id}.intoto.json): the package must be the one it names.
 */
async function checkStatement(abs, isArchive, given, manifest, archiveSha256, logger) {
    if (given === false)
        return undefined;
    const beside = isArchive ? provenancePath(abs) : undefined;
    const file = given !== undefined ? external_node_path_default().resolve(given) : beside;
    if (file === undefined)
        return undefined;
    const text = await (0,promises_namespaceObject.readFile)(file, 'utf8').catch((err) => {
        if (given === undefined && err.code === 'ENOENT')
            return undefined;
        throw new VerificationError(external_node_path_default().basename(file), `Cannot read the provenance statement ${file}: ${err.code ?? err.message}.`);
    });
    if (text === undefined)
        return undefined;
    let statement;
    try {
        statement = JSON.parse(text);
    }
    catch (err) {
        throw new VerificationError(external_node_path_default().basename(file), `${external_node_path_default().basename(file)} is not valid JSON (${err.message}).`);
    }
    checkProvenance(file, statement, { manifest, archiveName: isArchive ? external_node_path_default().basename(abs) : undefined, archiveSha256 });
    logger.info(`The provenance statement ${external_node_path_default().basename(file)} names this package: its archive's sha256, commit, datasets and content digest agree.`);
    return file;
}
async function checkTree(top, entries, read, fromArchive, logger) {
    const byPath = new Map(entries.map((e) => [e.path, e]));
    const fail = (p, what) => {
        throw new VerificationError(p, `${p} ${what}`);
    };
    // job.json
    const jobJson = byPath.get('job.json');
    if (jobJson?.type !== 'file')
        fail('job.json', jobJson ? 'is not a regular file.' : 'is missing: this is not a package made by pack.');
    const text = await read('job.json');
    if (!text)
        fail('job.json', `is larger than ${MAX_TEXT_FILE} bytes: not one pack wrote.`);
    const manifest = parseManifest(text.toString('utf8'), fail);
    if (fromArchive && top !== manifest.job_id) {
        fail('job.json', `names the job ${JSON.stringify(manifest.job_id)}, but the archive's top folder is ${JSON.stringify(top)}: one of them was changed.`);
    }
    else if (!fromArchive && top !== manifest.job_id) {
        logger.info(`The folder is named ${top}; job.json names the job ${manifest.job_id}.`);
    }
    // Layout: what pack writes at the top, and nothing else.
    const generated = manifest.environment?.dockerfile !== 'code/Dockerfile';
    const expectedTop = new Set(['code', 'data', 'job.json', FILE_LIST, 'run.sh', ...(generated ? ['Dockerfile', '.dockerignore'] : [])]);
    for (const e of entries) {
        const first = e.path.split('/')[0];
        if (!expectedTop.has(first))
            fail(e.path, `is not part of the package: pack writes only code/, data/, job.json, ${FILE_LIST}, run.sh, Dockerfile and .dockerignore. It was added after packing.`);
    }
    for (const name of ['run.sh', ...(generated ? ['Dockerfile', '.dockerignore'] : [])]) {
        if (byPath.get(name)?.type !== 'file')
            fail(name, byPath.has(name) ? 'is not a regular file.' : 'is missing from the package.');
    }
    if (byPath.has('code') && byPath.get('code').type !== 'directory')
        fail('code', 'is not a folder.');
    // data/: exactly the datasets job.json lists.
    const listed = new Map(manifest.datasets.map((d) => [`data/${d.name}`, d]));
    for (const e of entries) {
        if (e.path.startsWith('data/') && !listed.has(e.path))
            fail(e.path, 'is not one of the datasets job.json lists: it was added after packing.');
    }
    for (const [p, d] of listed) {
        const e = byPath.get(p);
        if (e?.type !== 'file')
            fail(p, e ? 'is not a regular file.' : 'is missing: job.json lists it as a dataset.');
        if (e.size !== d.size || e.sha256 !== d.sha256) {
            fail(p, `has changed: ${e.size} bytes with sha256 ${e.sha256}, but job.json records ${d.size} bytes with sha256 ${d.sha256}.`);
        }
    }
    // run.sh: what pack renders for job.json's command and datasets.
    const runSh = await read('run.sh');
    const rendered = renderRunScript({
        command: manifest.spec.command,
        dataFiles: manifest.datasets.map((d) => d.name),
        start: typeof manifest.environment?.start === 'string' ? manifest.environment.start : undefined
    });
    if (runSh?.toString('utf8') !== rendered) {
        if (manifest.packager.version !== PACKAGER_VERSION) {
            logger.warn(`run.sh was written by ${manifest.packager.name} ${manifest.packager.version}, this is ${PACKAGER_VERSION}: it is not compared with job.json's command (the content digest still covers it).`);
        }
        else {
            fail('job.json', 'does not match run.sh: the command or the datasets in job.json are not the ones run.sh runs. job.json (or run.sh) was edited after packing.');
        }
    }
    // Each file against files.sha256, whose lines must make job.json's content digest: the first difference is named.
    const covered = entries.filter((e) => e.path !== 'job.json' && e.path !== FILE_LIST);
    checkFileList(byPath.get(FILE_LIST), await read(FILE_LIST), covered, manifest, fail);
    // The content digest, and the count of what it covers.
    const files = covered.filter((e) => e.type !== 'directory').length;
    const digest = contentDigest(covered);
    if (digest !== manifest.content_digest) {
        fail(files === manifest.files ? 'code/' : 'the package', files === manifest.files
            ? `or the Dockerfile holds a changed file: the package's content digest is ${digest}, but job.json records ${manifest.content_digest}. (The package records one digest, not one per file, so the changed file cannot be named; data/, run.sh and job.json were checked one by one and are intact.)`
            : `holds ${files} files and symlinks, but job.json records ${manifest.files}: a file was added to or removed from code/ after packing (content digest ${digest}, job.json records ${manifest.content_digest}).`);
    }
    return manifest;
}
/**
 * files.sha256 names every file's hash, so a changed, added or removed file
 * under code/ (or the Dockerfile) is named. A package from before the list
 * existed has none: then only the content digest below can tell, and it
 * cannot say which file.
 */
function checkFileList(entry, text, covered, manifest, fail) {
    if (entry === undefined)
        return;
    if (entry.type !== 'file')
        fail(FILE_LIST, 'is not a regular file.');
    if (text === undefined)
        fail(FILE_LIST, `is larger than ${MAX_FILE_LIST} bytes: not one pack wrote.`);
    const parsed = parseFileList(text.toString('utf8'));
    if ('badLine' in parsed)
        fail(FILE_LIST, `line ${parsed.badLine} is not "MODE SHA256 PATH": the list was edited after packing.`);
    const listed = parsed.files;
    const digest = listedDigest(listed);
    if (digest !== manifest.content_digest) {
        fail(FILE_LIST, `does not match job.json: its lines make the content digest ${digest}, but job.json records ${manifest.content_digest}. One of the two was edited after packing.`);
    }
    const differences = compareFileList(listed, covered);
    if (differences.length > 0) {
        const [first, ...rest] = differences;
        const more = rest.length > 0
            ? ` (and ${rest.length} more: ${rest
                .slice(0, 5)
                .map((d) => d.path)
                .join(', ')}${rest.length > 5 ? ', …' : ''})`
            : '';
        throw new VerificationError(first.path, `${describeDifference(first)}${more}.`);
    }
}
const verify_DIGEST = /^sha256:[0-9a-f]{64}$/;
const verify_HEX = /^[0-9a-f]{64}$/;
function parseManifest(text, fail) {
    let value;
    try {
        value = JSON.parse(text);
    }
    catch (err) {
        fail('job.json', `is not valid JSON (${err.message}).`);
    }
    const m = value;
    const ok = m !== null &&
        typeof m === 'object' &&
        typeof m.job_id === 'string' &&
        m.schema === 'job-packager/manifest@1' &&
        typeof m.packager?.name === 'string' &&
        typeof m.packager.version === 'string' &&
        typeof m.spec?.command === 'string' &&
        Array.isArray(m.spec.data_url) &&
        typeof m.source === 'object' &&
        Array.isArray(m.datasets) &&
        m.datasets.every((d) => typeof d?.name === 'string' &&
            /^[^/\0]+$/.test(d.name) &&
            d.name !== '..' &&
            d.name !== '.' &&
            Number.isSafeInteger(d.size) &&
            verify_HEX.test(String(d.sha256))) &&
        typeof m.content_digest === 'string' &&
        verify_DIGEST.test(m.content_digest) &&
        Number.isSafeInteger(m.files);
    if (!ok)
        fail('job.json', 'is not a job-packager manifest (job-packager/manifest@1): a required field is missing or has the wrong type.');
    const manifest = m;
    // The job id names the results (`{out}/{job_id}/`, the image tag): pack's one rule, so `../x` cannot climb out.
    try {
        // An empty id would be replaced by a fresh one: not the id written either.
        if (parseJobId(manifest.job_id) !== manifest.job_id)
            throw new SpecError('job_id', 'is empty', 'a job id');
    }
    catch (err) {
        if (!(err instanceof SpecError))
            throw err;
        fail('job.json', `names the job ${JSON.stringify(manifest.job_id)}, which pack never writes: ${err.problem}.`);
    }
    // `run` hands these to the container engine (`-f`, the context): only the two pairs pack writes.
    const env = manifest.environment;
    if (env !== undefined) {
        const pair = Object.values(BUILD_FILES).find((b) => b.dockerfile === env?.dockerfile && b.build_context === env.build_context);
        if (!pair)
            fail('job.json', `names the Dockerfile ${JSON.stringify(env?.dockerfile)} with the build context ${JSON.stringify(env?.build_context)}; pack writes only ${Object.values(BUILD_FILES)
                .map((b) => `${b.dockerfile} with ${b.build_context}`)
                .join(' or ')}.`);
    }
    // The canonical text for these values, with the packager that wrote it: any edit that is not a change of value shows here.
    const canonical = renderManifest({ ...buildManifest(manifest), packager: manifest.packager });
    if (canonical !== text) {
        fail('job.json', 'is not as pack wrote it: fields were added, removed, reordered or reformatted after packing.');
    }
    return manifest;
}

;// CONCATENATED MODULE: ./src/core/fs/beneath.ts
/**
 * Reading a tree that someone else may be changing while we read it (a job's
 * OUTPUT_DIR, with its processes possibly still running), without ever
 * following a symlink out of it.
 *
 * A path walk (lstat, then open with O_NOFOLLOW) checks only the last
 * component: between the lstat of `d` and the open of `d/f`, `d` can be
 * swapped for a symlink to /etc (renameat2 RENAME_EXCHANGE), and the open
 * reads /etc/f. So the walk goes by directory file descriptor instead: each
 * entry is opened relative to the descriptor of its folder, with O_NOFOLLOW,
 * and its type is checked on the opened descriptor (fstat). A swap can then
 * only make an entry vanish or change type, never lead outside.
 *
 * Node has no openat(). On Linux, `/proc/self/fd/<fd>` is a "magic link" the
 * kernel resolves to the open folder itself (not to a path that could have
 * changed), so opening `/proc/self/fd/<fd>/<name>` with O_NOFOLLOW is
 * openat(fd, name, O_NOFOLLOW); `__tests__/unit/beneath.test.ts` checks this
 * (a folder renamed away and a symlink swapped in). Elsewhere there is no
 * such link, and the walk falls back to paths (the last component still not
 * followed): `run` with a container engine is Linux-only anyway.
 */



const viaProc = process.platform === 'linux';
/** An open folder: its descriptor, and the path it was reached by (for messages and the non-Linux fallback). */
class DirHandle {
    handle;
    path;
    constructor(handle, path) {
        this.handle = handle;
        this.path = path;
    }
    /** Opens `dir` itself (not following a symlink at its last component). */
    static async open(dir) {
        const fh = await (0,promises_namespaceObject.open)(dir, external_node_fs_namespaceObject.constants.O_RDONLY | external_node_fs_namespaceObject.constants.O_DIRECTORY | external_node_fs_namespaceObject.constants.O_NOFOLLOW);
        return new DirHandle(fh, dir);
    }
    /**
     * The path that reaches `name` in this folder and not elsewhere (for open
     * or lstat, which do not follow the last component themselves).
     */
    entryPath(name) {
        if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0'))
            throw Object.assign(new Error(`Not a name in a folder: ${JSON.stringify(name)}`), { code: 'EINVAL' });
        return viaProc ? `/proc/self/fd/${this.handle.fd}/${name}` : external_node_path_default().join(this.path, name);
    }
    /** The names in this folder (read through the descriptor: a rename of the folder changes nothing). */
    async names() {
        const dir = await (0,promises_namespaceObject.opendir)(viaProc ? `/proc/self/fd/${this.handle.fd}` : this.path);
        const names = [];
        for await (const entry of dir)
            names.push(entry.name);
        return names;
    }
    /**
     * Opens the entry `name` of this folder as a folder, or returns what it is
     * instead: a symlink, another type, or gone (`undefined` with the reason).
     */
    async openDir(name) {
        let fh;
        try {
            fh = await (0,promises_namespaceObject.open)(this.entryPath(name), external_node_fs_namespaceObject.constants.O_RDONLY | external_node_fs_namespaceObject.constants.O_DIRECTORY | external_node_fs_namespaceObject.constants.O_NOFOLLOW);
        }
        catch (err) {
            return { reason: reasonOf(err, 'a folder') };
        }
        return { dir: new DirHandle(fh, external_node_path_default().join(this.path, name)) };
    }
    /**
     * Opens the entry `name` of this folder for reading if it is a regular
     * file (checked on the descriptor), else returns why not. O_NONBLOCK: a
     * FIFO swapped in must not hang the open.
     */
    async openFile(name) {
        let fh;
        try {
            fh = await (0,promises_namespaceObject.open)(this.entryPath(name), external_node_fs_namespaceObject.constants.O_RDONLY | external_node_fs_namespaceObject.constants.O_NOFOLLOW | external_node_fs_namespaceObject.constants.O_NONBLOCK | external_node_fs_namespaceObject.constants.O_NOCTTY);
        }
        catch (err) {
            return { reason: reasonOf(err, 'a file') };
        }
        const stat = await fh.stat();
        if (!stat.isFile()) {
            await fh.close();
            // A folder here was a file when it was listed: swapped under us. Anything else is a type we never copy.
            return {
                reason: stat.isDirectory()
                    ? 'it is no longer a file (it changed while it was being read)'
                    : `${typeName(stat)}; only files and folders are kept`
            };
        }
        return { file: fh, stat };
    }
    async close() {
        await this.handle.close();
    }
}
/** What an entry is, in words (for the "left out" list). */
function typeName(st) {
    if (st.isSymbolicLink())
        return 'a symlink';
    if (st.isDirectory())
        return 'a folder';
    if (st.isFile())
        return 'a file';
    if (st.isFIFO())
        return 'a FIFO';
    if (st.isSocket())
        return 'a socket';
    return 'a device file';
}
function reasonOf(err, expected) {
    switch (err.code) {
        case 'ENOENT':
            return 'it vanished while it was being read';
        // O_NOFOLLOW on a symlink gives ELOOP; O_DIRECTORY on a non-folder (a symlink included) gives ENOTDIR.
        case 'ELOOP':
            return 'a symlink; only files and folders are kept';
        case 'ENOTDIR':
            return `it is no longer ${expected} (it changed while it was being read)`;
        case 'ENXIO':
            return 'a socket or device; only files and folders are kept';
        default:
            return `it could not be read (${err.code ?? err.message})`;
    }
}
/**
 * Reads the regular file at `rel` beneath `root`, following no symlink on
 * any component; `undefined` when it is not there (or not a regular file).
 */
async function readFileBeneath(root, rel) {
    const parts = rel.split('/').filter((p) => p !== '' && p !== '.');
    const last = parts.pop();
    if (last === undefined || last === '..' || parts.includes('..'))
        return undefined;
    let dir;
    try {
        dir = await DirHandle.open(root);
    }
    catch {
        return undefined;
    }
    try {
        for (const part of parts) {
            const next = await dir.openDir(part);
            if (!('dir' in next))
                return undefined;
            await dir.close();
            dir = next.dir;
        }
        const opened = await dir.openFile(last);
        if (!('file' in opened))
            return undefined;
        try {
            return await opened.file.readFile();
        }
        finally {
            await opened.file.close();
        }
    }
    finally {
        await dir.close();
    }
}

;// CONCATENATED MODULE: ./src/core/run/capture.ts
/**
 * What the job leaves behind: its stdout and stderr (logs.ts-style sinks,
 * capped) and what it wrote into OUTPUT_DIR, copied into the result.
 *
 * The job wrote OUTPUT_DIR, so nothing in it is trusted, and a process it
 * left behind may still be changing it: it is walked by folder descriptor
 * (fs/beneath.ts), following no symlink on any component, and only regular
 * files and folders are copied. Symlinks, devices, FIFOs and sockets are
 * left out and listed (a symlink could point at any file of the host that
 * runs the capture). Files are taken in path order until the output limit;
 * the rest is left out and listed too.
 */






/** Keeps the first `cap` bytes of a stream in a file, counts all of it, and remembers its tail. */
class LogSink {
    file;
    cap;
    tailSize;
    fd;
    hash = (0,external_node_crypto_namespaceObject.createHash)('sha256');
    tailBuf = Buffer.alloc(0);
    bytes = 0;
    kept = 0;
    constructor(file, cap, tailSize = 4096) {
        this.file = file;
        this.cap = cap;
        this.tailSize = tailSize;
        this.fd = (0,external_node_fs_namespaceObject.openSync)(file, external_node_fs_namespaceObject.constants.O_WRONLY | external_node_fs_namespaceObject.constants.O_CREAT | external_node_fs_namespaceObject.constants.O_EXCL | external_node_fs_namespaceObject.constants.O_NOFOLLOW, 0o644);
    }
    write(chunk) {
        this.bytes += chunk.length;
        const room = this.cap - this.kept;
        if (room > 0) {
            const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
            for (let off = 0; off < part.length;)
                off += (0,external_node_fs_namespaceObject.writeSync)(this.fd, part, off);
            this.hash.update(part);
            this.kept += part.length;
        }
        this.tailBuf = Buffer.concat([this.tailBuf, chunk]).subarray(-this.tailSize);
    }
    get truncated() {
        return this.bytes > this.kept;
    }
    /** The last bytes of the stream, as text (a split character at the start is dropped). */
    tail() {
        return this.tailBuf.toString('utf8').replace(/^\uFFFD+/, '');
    }
    close() {
        (0,external_node_fs_namespaceObject.closeSync)(this.fd);
        return { sha256: this.hash.digest('hex') };
    }
}
/** Sum of the sizes of the regular files under `dir` (symlinks not followed); what the output limit counts. */
async function treeBytes(dir) {
    let total = 0;
    const visit = async (d, depth) => {
        const names = await d.names().catch(() => []);
        for (const name of names) {
            // Folders by descriptor (see fs/beneath.ts); files by lstat through the folder's descriptor, which follows no link.
            const opened = depth < MAX_DEPTH ? await d.openDir(name) : { reason: '' };
            if ('dir' in opened) {
                try {
                    await visit(opened.dir, depth + 1);
                }
                finally {
                    await opened.dir.close();
                }
                continue;
            }
            const st = await (0,promises_namespaceObject.lstat)(d.entryPath(name)).catch(() => undefined);
            if (st?.isFile())
                total += st.size;
        }
    };
    const root = await DirHandle.open(dir).catch(() => undefined);
    if (!root)
        return 0;
    try {
        await visit(root, 0);
    }
    finally {
        await root.close();
    }
    return total;
}
/** Folders nested deeper than this are left out: each level holds a descriptor open while it is read. */
const MAX_DEPTH = 128;
/**
 * Copies OUTPUT_DIR (`src`) into `dest`: regular files and folders, in path
 * order, up to `maxBytes`. Walks by folder descriptor (fs/beneath.ts), so an
 * entry swapped for a symlink while it is read is left out, never followed;
 * an entry that vanishes or changes type is listed as left out, with why. It
 * does not throw for anything the job did to its tree: the results are
 * always written.
 */
async function captureOutput(src, dest, maxBytes) {
    const out = { files: 0, bytes: 0, truncated: false, omitted: [] };
    await (0,promises_namespaceObject.mkdir)(dest, { mode: 0o755 });
    const visit = async (dir, rel, depth) => {
        let names;
        try {
            names = (await dir.names()).sort(comparePaths);
        }
        catch (err) {
            out.omitted.push({ path: rel || '.', reason: `the folder could not be read (${err.code ?? 'error'})` });
            return;
        }
        for (const name of names) {
            const childRel = rel ? `${rel}/${name}` : name;
            // What the entry is now; the type that counts is the one checked on the opened descriptor below.
            const st = await (0,promises_namespaceObject.lstat)(dir.entryPath(name)).catch(() => undefined);
            if (!st) {
                out.omitted.push({ path: childRel, reason: 'it vanished while it was being read' });
                continue;
            }
            if (st.isDirectory()) {
                if (depth >= MAX_DEPTH) {
                    out.omitted.push({ path: childRel, reason: `nested deeper than ${MAX_DEPTH} folders` });
                    continue;
                }
                const opened = await dir.openDir(name);
                if (!('dir' in opened)) {
                    out.omitted.push({ path: childRel, reason: opened.reason });
                    continue;
                }
                try {
                    await (0,promises_namespaceObject.mkdir)(external_node_path_default().join(dest, childRel), { mode: 0o755 });
                    await visit(opened.dir, childRel, depth + 1);
                }
                finally {
                    await opened.dir.close();
                }
            }
            else if (st.isFile()) {
                const opened = await dir.openFile(name);
                if (!('file' in opened)) {
                    out.omitted.push({ path: childRel, reason: opened.reason });
                    continue;
                }
                try {
                    const size = opened.stat.size;
                    if (out.bytes + size > maxBytes) {
                        out.truncated = true;
                        out.omitted.push({ path: childRel, reason: `over the output limit (${size} bytes)` });
                        continue;
                    }
                    const mode = opened.stat.mode & 0o100 ? 0o755 : 0o644;
                    out.bytes += await copyRegular(opened.file, external_node_path_default().join(dest, childRel), mode, maxBytes - out.bytes);
                    out.files++;
                }
                finally {
                    await opened.file.close();
                }
            }
            else {
                out.omitted.push({ path: childRel, reason: `${typeName(st)}; only files and folders are kept` });
            }
        }
    };
    let root;
    try {
        root = await DirHandle.open(src);
    }
    catch (err) {
        out.omitted.push({ path: '.', reason: `the output folder could not be read (${err.code ?? 'error'})` });
        return out;
    }
    try {
        await visit(root, '', 0);
    }
    finally {
        await root.close();
    }
    return out;
}
/** Copies an opened regular file; at most `room` bytes (it may still be growing). */
async function copyRegular(src, to, mode, room) {
    const dst = await (0,promises_namespaceObject.open)(to, external_node_fs_namespaceObject.constants.O_WRONLY | external_node_fs_namespaceObject.constants.O_CREAT | external_node_fs_namespaceObject.constants.O_EXCL | external_node_fs_namespaceObject.constants.O_NOFOLLOW, mode);
    try {
        const buf = Buffer.alloc(1024 * 1024);
        let copied = 0;
        for (;;) {
            const { bytesRead } = await src.read(buf, 0, Math.min(buf.length, room - copied));
            if (bytesRead === 0)
                break;
            await dst.write(buf, 0, bytesRead);
            copied += bytesRead;
        }
        return copied;
    }
    finally {
        await dst.close();
    }
}

;// CONCATENATED MODULE: ./src/core/run/job-cgroup.ts
/**
 * A cgroup of the job's own, so that every process it starts can be found
 * and killed however it detached (setsid, a double fork: the process group
 * and the process tree lose those), and the run can check that none is left
 * before the output is captured (docs/SECURITY.md, "Building and running a
 * package").
 *
 * The job's first process is moved into the cgroup before it execs (a small
 * /bin/sh wrapper writes its own pid to `cgroup.procs`), so everything it
 * starts is born inside. runc makes the container's cgroup under the cgroup
 * of whoever started it (`…/job-packager-NAME/buildah-…` in the pids
 * hierarchy, seen with buildah 1.28 and runc 1.1), so an OCI container's
 * processes are inside it too; the sweep reads every sub-cgroup.
 *
 * Which hierarchy: cgroup v1's `pids` controller when it is mounted (hybrid
 * machines, such as the test machines), else the cgroup v2 tree at
 * /sys/fs/cgroup. Either way, under the cgroup this process is in. Creating
 * one needs root (or a delegated cgroup); without it there is no cgroup and
 * create() says why, for the caller to log: the job is then stopped by
 * process tree and group only (and, under OCI isolation, by its PID
 * namespace dying with its first process).
 */




const V1_PIDS = '/sys/fs/cgroup/pids';
const V2_ROOT = '/sys/fs/cgroup';
/** How long the sweep keeps killing before it gives up and says which processes survived. */
const SWEEP_DEADLINE_MS = 10_000;
/** Between two sweeps: killed processes need a moment to leave the cgroup (their parents reap them). */
const SWEEP_PAUSE_MS = 20;
class JobCgroup {
    dir;
    constructor(
    /** The cgroup's folder. */
    dir) {
        this.dir = dir;
    }
    /** Where the job's first process writes its pid. */
    get procsFile() {
        return external_node_path_default().join(this.dir, 'cgroup.procs');
    }
    /** A new cgroup named after the run, or why there is none (not root, no cgroup filesystem). */
    static async create(name) {
        if (process.platform !== 'linux')
            return { unavailable: 'cgroups are Linux only' };
        const base = await hierarchy();
        if (!base)
            return { unavailable: 'no cgroup v1 pids hierarchy or cgroup v2 tree is mounted' };
        const dir = external_node_path_default().join(base, name);
        try {
            await (0,promises_namespaceObject.mkdir)(dir);
        }
        catch (err) {
            return { unavailable: `cannot create ${dir} (${err.code ?? err.message})` };
        }
        return new JobCgroup(dir);
    }
    /** The argv that starts `file args` inside the cgroup. */
    wrap(file, args) {
        return ['/bin/sh', ['-c', 'echo $$ > "$0" && exec "$@"', this.procsFile, file, ...args]];
    }
    /** Every pid in the cgroup and its sub-cgroups. */
    async pids() {
        return collect(this.dir);
    }
    /**
     * Kills every process in the cgroup until none is left, then checks that none is: a process that survives the
     * deadline is an EngineError naming it (the output is then not captured: it could still be changing).
     */
    async empty() {
        const deadline = Date.now() + SWEEP_DEADLINE_MS;
        for (;;) {
            const left = await this.pids();
            if (left.length === 0)
                return;
            if (Date.now() > deadline) {
                throw new EngineError(`Processes of the job survive being killed (pids ${left.slice(0, 10).join(', ')} in ${this.dir}); its output is not captured.`);
            }
            for (const pid of left) {
                try {
                    process.kill(pid, 'SIGKILL');
                }
                catch {
                    // Gone already.
                }
            }
            await (0,external_node_timers_promises_namespaceObject.setTimeout)(SWEEP_PAUSE_MS);
        }
    }
    /** Removes the cgroup and what is left of sub-cgroups (runc removes its own; an empty one may remain). */
    async remove() {
        await removeTree(this.dir).catch(() => undefined);
    }
}
async function hierarchy() {
    const own = await (0,promises_namespaceObject.readFile)('/proc/self/cgroup', 'utf8').catch(() => '');
    const line = (match) => {
        for (const l of own.split('\n')) {
            const [, controllers, p] = /^\d+:([^:]*):(.*)$/.exec(l) ?? [];
            if (controllers !== undefined && p !== undefined && match(controllers))
                return p;
        }
        return undefined;
    };
    if (await job_cgroup_exists(external_node_path_default().join(V1_PIDS, 'cgroup.procs'))) {
        return external_node_path_default().join(V1_PIDS, line((c) => c.split(',').includes('pids')) ?? '/');
    }
    if (await job_cgroup_exists(external_node_path_default().join(V2_ROOT, 'cgroup.controllers')))
        return external_node_path_default().join(V2_ROOT, line((c) => c === '') ?? '/');
    return undefined;
}
async function job_cgroup_exists(file) {
    return (0,promises_namespaceObject.readFile)(file, 'utf8').then(() => true, () => false);
}
async function collect(dir) {
    const text = await (0,promises_namespaceObject.readFile)(external_node_path_default().join(dir, 'cgroup.procs'), 'utf8').catch(() => '');
    const pids = text
        .split('\n')
        .filter((l) => /^\d+$/.test(l))
        .map(Number);
    const entries = await (0,promises_namespaceObject.readdir)(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries)
        if (e.isDirectory())
            pids.push(...(await collect(external_node_path_default().join(dir, e.name))));
    return pids;
}
async function removeTree(dir) {
    const entries = await (0,promises_namespaceObject.readdir)(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries)
        if (e.isDirectory())
            await removeTree(external_node_path_default().join(dir, e.name));
    await (0,promises_namespaceObject.rmdir)(dir);
}

;// CONCATENATED MODULE: ./src/core/run/job-process.ts
/**
 * Runs the job's process (the engine's `run`, or run.sh itself for the
 * `none` engine) with its output streamed, and stops it on request. Unlike
 * process.ts's runProcess, output is bytes handed on as it comes (the job's
 * logs can be large and binary), and stopping is the engine's business:
 * `docker kill` for a container, the process group for `none`.
 *
 * With a cgroup (job-cgroup.ts), the process starts inside it, and when it
 * exits every process left in the cgroup is killed and the cgroup checked
 * empty before `done` settles: a job's detached processes cannot outlive
 * it, nor keep its output pipes (and so the run) open.
 */


const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
function startJobProcess(file, args, options) {
    // The environment as this module sees it, passed explicitly (a caller that changed process.env means it for the engine too).
    const [command, argv] = options.cgroup ? options.cgroup.wrap(file, args) : [file, args];
    const child = (0,external_node_child_process_namespaceObject.spawn)(command, argv, {
        cwd: options.cwd,
        env: options.env ?? process.env,
        detached: options.detached,
        stdio: ['ignore', 'pipe', 'pipe']
    });
    child.stdout.on('data', options.onStdout);
    child.stderr.on('data', options.onStderr);
    const { cgroup } = options;
    // Emptied as soon as the first process exits: a detached one still holding stdout would keep 'close' from coming.
    const swept = cgroup
        ? new Promise((resolve, reject) => child.on('exit', () => void cgroup.empty().then(resolve, reject)))
        : Promise.resolve();
    const closed = new Promise((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (code, sig) => resolve(code ?? 128 + (sig ? (SIGNAL_NUMBERS[sig] ?? 0) : 0)));
    });
    const done = Promise.all([closed, swept]).then(([code]) => code);
    return {
        done,
        pid: child.pid,
        kill: () => {
            if (child.pid === undefined)
                return;
            if (options.detached) {
                try {
                    process.kill(-child.pid, 'SIGKILL');
                }
                catch {
                    // The group is gone already.
                }
            }
            killTree(child.pid);
        }
    };
}

;// CONCATENATED MODULE: ./src/core/run/engines/engine.ts
/** Where OUTPUT_DIR is inside a container. */
const CONTAINER_OUTPUT_DIR = '/job-output';
/** Where the package is mounted when the image does not hold it. */
const CONTAINER_PACKAGE_DIR = '/job';

;// CONCATENATED MODULE: ./src/core/run/engines/tools.ts
/** Small helpers the engines share: running the engine's CLI, and building an image with it. */





/** Runs an engine command; a failure is an EngineError with the end of its stderr. */
async function engineCommand(file, args, what, opts = {}) {
    let res;
    try {
        res = await runProcess(file, args, { env: process.env, signal: opts.signal, onStderr: opts.onStderr, onStdout: opts.onStdout });
    }
    catch (err) {
        if (err.code === 'ENOENT')
            throw new EngineError(`${file} is not installed (or not on PATH): cannot ${what}.`);
        throw err;
    }
    if (res.code !== 0) {
        const tail = res.stderr.trim().split('\n').slice(-15).join('\n');
        throw new EngineError(`${file} could not ${what} (exit status ${res.code})${tail ? `:\n${tail}` : '.'}`);
    }
    return res;
}
/** True when the command runs and exits 0 (an engine that is installed and answers). */
async function answers(file, args) {
    try {
        const res = await runProcess(file, args, { env: process.env, signal: AbortSignal.timeout(20_000) });
        return res.code === 0 ? res.stdout.trim() : undefined;
    }
    catch {
        return undefined;
    }
}
/**
 * Builds `req.dockerfile` with `file subcommand` (`buildah bud`, `docker build`,
 * `podman build`: the same flags) and returns the image id the engine writes
 * to its --iidfile; the build's output goes to `req.onOutput`. `engineArgs`:
 * the engine's own isolation flags, before the others.
 */
async function buildImage(file, subcommand, req, engineArgs = []) {
    const tmp = await (0,promises_namespaceObject.mkdtemp)(external_node_path_default().join(external_node_os_default().tmpdir(), 'job-packager-iid-'));
    try {
        const iidfile = external_node_path_default().join(tmp, 'iid');
        const buildArgs = req.buildArgs.flatMap((a) => ['--build-arg', a]);
        await engineCommand(file, [subcommand, ...engineArgs, '--iidfile', iidfile, '-t', req.tag, '-f', req.dockerfile, ...buildArgs, req.context], `build the image ${req.tag}`, {
            signal: req.signal,
            onStdout: (t) => req.onOutput(Buffer.from(t)),
            onStderr: (t) => req.onOutput(Buffer.from(t))
        });
        return { imageId: (await (0,promises_namespaceObject.readFile)(iidfile, 'utf8')).trim() };
    }
    finally {
        await (0,promises_namespaceObject.rm)(tmp, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/core/run/engines/buildah.ts
/**
 * buildah: the engine proven on this project's test machines (root, vfs
 * storage; see docs/CONTAINER.md). Storage comes from buildah's own
 * environment and configuration (STORAGE_DRIVER, CONTAINERS_STORAGE_CONF),
 * never from the package.
 *
 * Isolation (docs/SECURITY.md, "Building and running a package"): a package
 * is untrusted unless the user says --trust-package, and its build steps run
 * as root. So for an untrusted package the engine chooses the isolation
 * itself, whatever BUILDAH_ISOLATION says: `--isolation oci` with an OCI
 * runtime it found (runc or crun: the container is entered with pivot_root,
 * in its own mount, PID and network namespaces), CAP_SYS_CHROOT dropped, the
 * build on a network of its own (`--network private`: a bridge, not the
 * host's loopback). Under chroot isolation (no OCI runtime, or
 * BUILDAH_ISOLATION=chroot) a root build step can leave its chroot and act
 * on this machine as root, so `isolation` says `weak` and run refuses the
 * package unless it is trusted. A trusted package is built and run as
 * before: buildah's configured isolation, the host's network for the build.
 *
 * - build: `buildah bud`, as `docker build`.
 * - run: a working container from the image (`buildah from`, made when the
 *   job's user is read from it), then `buildah run` of the image's
 *   ENTRYPOINT + CMD, read from `buildah inspect`, since `buildah run` does
 *   not run them itself; the working container is removed afterwards.
 * - the job's user: the image's USER resolved to numbers from the working
 *   container's own /etc/passwd and /etc/group (run/sandbox.ts), read from
 *   its mount without following links.
 * - `--network none`: under OCI isolation, buildah's own (an empty network
 *   namespace). Under chroot isolation `buildah run --network none` leaves
 *   the host's network reachable (seen on the test machines), so the run is
 *   started inside a new, empty network namespace (`unshare --net`, root
 *   only) instead; if that is not possible the run fails rather than run
 *   with the network.
 * - memory and CPU limits: `buildah run` has none; a warning says so.
 * - GPUs: not offered; asking for them is an error.
 * - stopping: the `buildah run` process and every descendant are killed;
 *   under OCI isolation the job's PID namespace dies with its first process,
 *   and the job's cgroup (job-cgroup.ts) is emptied and checked after it.
 */








/** Where buildah itself looks for runc and crun besides PATH (containers.conf's runtime paths). */
const RUNTIME_DIRS = ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/sbin', '/bin'];
/** The most of /etc/passwd or /etc/group that is read (a real one is a few KiB). */
const MAX_ACCOUNTS_BYTES = 4 * 1024 * 1024;
class BuildahEngine {
    version;
    isolation;
    runtime;
    name = 'buildah';
    enforces = { memory: false, cpus: false, network: true, gpus: false };
    /** Working containers made by imageUser, reused by start. */
    containers = new Set();
    constructor(version, isolation, 
    /** The OCI runtime's path, when one answers. */
    runtime) {
        this.version = version;
        this.isolation = isolation;
        this.runtime = runtime;
    }
    static async detect() {
        const out = await answers('buildah', ['--version']);
        const version = out ? (/version (\S+)/.exec(out)?.[1] ?? out) : undefined;
        if (!version)
            return undefined;
        const { isolation, runtime } = await ociIsolation();
        return new BuildahEngine(version, isolation, runtime);
    }
    /** What makes buildah isolate an untrusted package (see the top of this file); nothing for a trusted one. */
    isolationArgs(isolated) {
        if (!isolated)
            return [];
        if (!this.runtime)
            throw new EngineError('buildah has no OCI runtime: cannot isolate the package.');
        // Rootless buildah runs the OCI runtime inside a user namespace of its own: its isolation is called rootless.
        return ['--isolation', process.getuid?.() === 0 ? 'oci' : 'rootless', '--runtime', this.runtime, '--cap-drop', 'CAP_SYS_CHROOT'];
    }
    build(req) {
        // An untrusted build gets a network of its own (a bridge), never the host's (its loopback servers included); a
        // trusted one the host's, whatever the isolation, as before (a package index on the host's loopback, say).
        return buildImage('buildah', 'bud', req, req.isolated ? [...this.isolationArgs(true), '--network', 'private'] : ['--network', 'host']);
    }
    async config(image) {
        const res = await engineCommand('buildah', ['inspect', '--type', 'image', image], `inspect ${image}`);
        const info = JSON.parse(res.stdout);
        return info.OCIv1?.config ?? {};
    }
    async workingContainer(image, name) {
        if (this.containers.has(name))
            return;
        await engineCommand('buildah', ['from', '--pull=never', '--name', name, image], `create a container from ${image}`);
        this.containers.add(name);
    }
    async imageUser(image, name) {
        const declared = (await this.config(image)).User ?? '';
        // Only uid:gid as numbers (or no USER) needs no lookup; a lone uid takes its group from the image's passwd. The
        // working container is the run's own (start reuses it), so mounting it costs no extra copy of the image.
        if (/^\s*(\d+\s*:\s*\d+\s*)?$/.test(declared))
            return { declared, accounts: {} };
        await this.workingContainer(image, name);
        const mount = (await engineCommand('buildah', ['mount', name], `mount the container of ${image}`)).stdout.trim();
        try {
            return { declared, accounts: await readAccounts(mount) };
        }
        finally {
            await answers('buildah', ['umount', name]);
        }
    }
    async start(req, logger) {
        if (req.gpus)
            throw new EngineError('buildah cannot give the job GPUs; use docker or podman for --gpus.');
        const config = await this.config(req.image);
        const argv = req.mountPackage ? ['/bin/sh', `${CONTAINER_PACKAGE_DIR}/run.sh`] : [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
        if (argv.length === 0)
            throw new EngineError(`The image ${req.image} has neither an ENTRYPOINT nor a CMD: there is nothing to run.`);
        // Under chroot isolation buildah's --network none is not isolated: an empty namespace of our own, which needs root.
        const ownNetns = req.network === 'none' && !req.isolated;
        if (ownNetns && process.getuid?.() !== 0) {
            throw new EngineError('buildah can run the job without a network only as root (it needs a network namespace of its own); use --network default, or another engine.');
        }
        await this.workingContainer(req.image, req.name);
        const args = ['run', ...this.isolationArgs(req.isolated)];
        // OCI isolation gives the job a PID namespace of its own by default. `--pid private` is not passed: with buildah
        // 1.28 it turns `--network none` into the bridge network (seen on the test machines).
        if (req.isolated)
            args.push('--network', req.network === 'none' ? 'none' : 'private');
        // The job runs as a non-root user; without CAP_SYS_CHROOT even a capability it regained could not leave its root.
        else
            args.push('--cap-drop', 'CAP_SYS_CHROOT');
        args.push('--user', req.user);
        args.push('--volume', `${req.outputDir}:${CONTAINER_OUTPUT_DIR}:rw`, '--env', `OUTPUT_DIR=${CONTAINER_OUTPUT_DIR}`);
        if (req.mountPackage)
            args.push('--volume', `${req.packageRoot}:${CONTAINER_PACKAGE_DIR}:ro`);
        args.push(req.name, '--', ...argv);
        const [file, full] = ownNetns ? ['unshare', ['--net', 'buildah', ...args]] : ['buildah', args];
        const cgroup = await JobCgroup.create(req.name);
        if (cgroup instanceof JobCgroup)
            logger.debug(`The job's processes are kept in the cgroup ${cgroup.dir}`);
        else
            logger.debug(`No cgroup for the job (${cgroup.unavailable}): it is stopped by its process tree${req.isolated ? ' and PID namespace' : ''}`);
        logger.debug(`${file} ${full.join(' ')}`);
        const proc = startJobProcess(file, full, {
            onStdout: req.onStdout,
            onStderr: req.onStderr,
            cgroup: cgroup instanceof JobCgroup ? cgroup : undefined
        });
        return {
            done: cgroup instanceof JobCgroup ? proc.done.finally(() => cgroup.remove()) : proc.done,
            stop: () => {
                proc.kill();
                return Promise.resolve();
            }
        };
    }
    async cleanup(name) {
        this.containers.delete(name);
        await answers('buildah', ['rm', name]);
    }
}
/** The OCI runtime buildah would use for `--isolation oci`, or why there is none (the package is then refused unless trusted). */
async function ociIsolation() {
    if (process.env.BUILDAH_ISOLATION?.trim() === 'chroot') {
        return { isolation: { kind: 'weak', why: 'BUILDAH_ISOLATION=chroot asks for chroot isolation' } };
    }
    const asked = process.env.BUILDAH_RUNTIME?.trim();
    for (const candidate of asked ? [asked] : ['runc', 'crun']) {
        const found = await findExecutable(candidate);
        if (found && (await answers(found, ['--version'])) !== undefined)
            return { isolation: { kind: 'isolated' }, runtime: found };
    }
    return {
        isolation: {
            kind: 'weak',
            why: asked
                ? `its OCI runtime ${asked} (BUILDAH_RUNTIME) does not answer, so only chroot isolation is left`
                : 'no OCI runtime (runc or crun) is installed, so only chroot isolation is left'
        }
    };
}
async function findExecutable(name) {
    const dirs = name.includes('/') ? [''] : [...(process.env.PATH ?? '').split(':').filter(Boolean), ...RUNTIME_DIRS];
    for (const dir of dirs) {
        const file = dir ? external_node_path_default().join(dir, name) : name;
        if (await (0,promises_namespaceObject.access)(file, external_node_fs_namespaceObject.constants.X_OK).then(() => true, () => false))
            return external_node_path_default().resolve(file);
    }
    return undefined;
}
/**
 * The image's /etc/passwd and /etc/group from its mount, following no link: a symlinked /etc or account file is
 * refused (it would make the host's own files, or another of the image's, decide who the job runs as).
 */
async function readAccounts(mount) {
    const etc = external_node_path_default().join(mount, 'etc');
    const st = await (0,promises_namespaceObject.lstat)(etc).catch(() => undefined);
    if (!st)
        return {};
    if (!st.isDirectory())
        throw new EngineError(`The image's /etc is ${st.isSymbolicLink() ? 'a symlink' : 'not a folder'}: cannot read who the job runs as.`);
    const read = async (file) => {
        let handle;
        try {
            handle = await (0,promises_namespaceObject.open)(external_node_path_default().join(etc, file), external_node_fs_namespaceObject.constants.O_RDONLY | external_node_fs_namespaceObject.constants.O_NOFOLLOW | external_node_fs_namespaceObject.constants.O_NONBLOCK);
        }
        catch (err) {
            const code = err.code;
            if (code === 'ENOENT')
                return undefined;
            if (code === 'ELOOP')
                throw new EngineError(`The image's /etc/${file} is a symlink: cannot read who the job runs as.`);
            throw err;
        }
        try {
            const fst = await handle.stat();
            if (!fst.isFile())
                throw new EngineError(`The image's /etc/${file} is not a regular file: cannot read who the job runs as.`);
            if (fst.size > MAX_ACCOUNTS_BYTES)
                throw new EngineError(`The image's /etc/${file} is larger than ${MAX_ACCOUNTS_BYTES} bytes.`);
            return await handle.readFile('utf8');
        }
        finally {
            await handle.close();
        }
    };
    return { passwd: await read('passwd'), group: await read('group') };
}

;// CONCATENATED MODULE: ./src/core/run/engines/container-cli.ts



/** A fork bomb stops here; a job with thousands of threads still fits (threads count as processes). */
const PIDS_LIMIT = 16384;
class ContainerCliEngine {
    name;
    version;
    enforces = { memory: true, cpus: true, network: true, gpus: true };
    isolation = { kind: 'isolated' };
    constructor(name, version) {
        this.name = name;
        this.version = version;
    }
    /** The engine when it is installed and (docker) its daemon answers; undefined otherwise. */
    static async detect(name) {
        // docker: the server's version, so a client without a daemon does not count as present.
        const version = await answers(name, ['version', '--format', name === 'docker' ? '{{.Server.Version}}' : '{{.Client.Version}}']);
        return version ? new ContainerCliEngine(name, version) : undefined;
    }
    build(req) {
        return buildImage(this.name, 'build', req, this.name === 'podman' ? ['--cap-drop', 'SYS_CHROOT'] : []);
    }
    async imageUser(image) {
        const res = await engineCommand(this.name, ['image', 'inspect', '--format', '{{.Config.User}}', image], `inspect ${image}`);
        return { declared: res.stdout.trim(), accounts: { unreadable: `${this.name} images are not mounted by job-packager` } };
    }
    start(req, logger) {
        const args = [
            'run',
            '--rm',
            '--name',
            req.name,
            '--cap-drop',
            'ALL',
            '--security-opt',
            'no-new-privileges',
            '--pids-limit',
            String(PIDS_LIMIT)
        ];
        if (req.network === 'none')
            args.push('--network', 'none');
        if (req.memory)
            args.push('--memory', req.memory);
        if (req.cpus !== undefined)
            args.push('--cpus', String(req.cpus));
        if (req.gpus)
            args.push('--gpus', req.gpus);
        args.push('--user', req.user);
        args.push('-v', `${req.outputDir}:${CONTAINER_OUTPUT_DIR}:rw`, '-e', `OUTPUT_DIR=${CONTAINER_OUTPUT_DIR}`);
        if (req.mountPackage) {
            args.push('-v', `${req.packageRoot}:${CONTAINER_PACKAGE_DIR}:ro`, '--entrypoint', '/bin/sh', req.image, `${CONTAINER_PACKAGE_DIR}/run.sh`);
        }
        else
            args.push(req.image);
        logger.debug(`${this.name} ${args.join(' ')}`);
        const proc = startJobProcess(this.name, args, { onStdout: req.onStdout, onStderr: req.onStderr });
        return Promise.resolve({
            done: proc.done,
            stop: async () => {
                await answers(this.name, ['kill', req.name]);
                proc.kill();
            }
        });
    }
    async cleanup(name) {
        await answers(this.name, ['rm', '--force', name]);
    }
}

;// CONCATENATED MODULE: ./src/core/run/engines/none.ts
/**
 * The `none` engine: run.sh straight on this machine, as the user running
 * job-packager, with no container, no image and no isolation — the job can
 * read and write whatever that user can. Only for trusted jobs on a
 * self-hosted runner that has no container engine (docs/SECURITY.md).
 *
 * What it still does: the job gets its own process group, killed whole at
 * the timeout or on cancellation; where a cgroup can be made (root:
 * job-cgroup.ts) it also runs in one of its own, emptied and checked when
 * run.sh exits, so a process it detached (setsid) does not outlive it;
 * without one (not root) such a process is not found. Its environment is a
 * short allow-list (no tokens or runner secrets pass through); OUTPUT_DIR is
 * captured like a container's.
 */




/** The variables a job sees from the environment of job-packager; everything else (tokens included) stays out. */
const PASSED_ENV = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'TERM'];
class NoEngine {
    name = 'none';
    version = `${external_node_os_default().type()} ${external_node_os_default().release()}`;
    enforces = { memory: false, cpus: false, network: false, gpus: false };
    isolation = { kind: 'none' };
    build() {
        return Promise.resolve({ imageId: '' });
    }
    imageUser() {
        return Promise.resolve({ declared: '', accounts: {} });
    }
    async start(req, logger) {
        const env = {};
        for (const k of PASSED_ENV)
            if (process.env[k] !== undefined)
                env[k] = process.env[k];
        env.OUTPUT_DIR = req.outputDir;
        const made = await JobCgroup.create(req.name);
        const cgroup = made instanceof JobCgroup ? made : undefined;
        logger.debug(`/bin/sh ${external_node_path_default().join(req.packageRoot, 'run.sh')} (own process group; ${cgroup ? `cgroup ${cgroup.dir}` : `no cgroup: ${made.unavailable}`}; OUTPUT_DIR=${req.outputDir})`);
        const proc = startJobProcess('/bin/sh', [external_node_path_default().join(req.packageRoot, 'run.sh')], {
            cwd: req.packageRoot,
            env,
            detached: true,
            onStdout: req.onStdout,
            onStderr: req.onStderr,
            cgroup
        });
        return {
            done: cgroup ? proc.done.finally(() => cgroup.remove()) : proc.done,
            stop: () => {
                proc.kill();
                return Promise.resolve();
            }
        };
    }
}
/** Who the job runs as under `none`. */
function hostUser() {
    const u = external_node_os_default().userInfo();
    return `${u.username} (uid ${u.uid})`;
}

;// CONCATENATED MODULE: ./src/core/run/engines/index.ts
/** Picks the engine: the one asked for, or for `auto` the first that answers of docker, podman, buildah. Never `none` by itself. */




async function resolveEngine(name) {
    if (name === 'none')
        return new NoEngine();
    if (name === 'buildah')
        return (await BuildahEngine.detect()) ?? missing('buildah');
    if (name === 'docker' || name === 'podman')
        return (await ContainerCliEngine.detect(name)) ?? missing(name);
    const found = (await ContainerCliEngine.detect('docker')) ?? (await ContainerCliEngine.detect('podman')) ?? (await BuildahEngine.detect());
    if (!found) {
        throw new EngineError('No container engine found (docker with a running daemon, podman or buildah). Install one, or — only for a trusted job on a machine of your own — run it without a container: --engine none.');
    }
    return found;
}
function missing(name) {
    throw new EngineError(name === 'docker'
        ? 'docker does not answer: it is not installed, or its daemon is not running (docker version cannot reach the server).'
        : `${name} is not installed, or does not answer (${name} --version failed).`);
}

;// CONCATENATED MODULE: ./src/core/run/run-options.ts
/**
 * RunOptions from the `run` command's registry values: what was given, else
 * the registry's default. Both shells (the CLI's `run`, the run sub-action)
 * build their RunOptions here, so a default lives in one place.
 */

/** What of the run options verification takes (the CLI's verify, and run before it builds). */
function verifyOptionsOf(o) {
    return {
        expectedSha256: o.expectedSha256,
        statement: o.statement,
        maxPackageBytes: o.maxPackageBytes,
        maxPackageEntries: o.maxPackageEntries
    };
}
function runOptionsFrom(o) {
    return {
        engine: o.engine ?? RUN_OPTIONS.engine.default,
        // RunOptions.timeoutMs is the registry's runTimeoutMs (named apart from packing's timeoutMs).
        timeoutMs: o.runTimeoutMs ?? RUN_OPTIONS.runTimeoutMs.default,
        memory: o.memory,
        cpus: o.cpus,
        network: o.network ?? RUN_OPTIONS.network.default,
        gpus: o.gpus,
        workDir: o.workDir,
        resultsDir: o.resultsDir ?? RUN_OPTIONS.resultsDir.default,
        expectedSha256: o.expectedSha256,
        statement: o.statement,
        maxPackageBytes: o.maxPackageBytes ?? RUN_OPTIONS.maxPackageBytes.default,
        maxPackageEntries: o.maxPackageEntries ?? RUN_OPTIONS.maxPackageEntries.default,
        maxOutputBytes: o.maxOutputBytes ?? RUN_OPTIONS.maxOutputBytes.default,
        maxLogBytes: o.maxLogBytes ?? RUN_OPTIONS.maxLogBytes.default,
        buildArgs: o.buildArgs,
        trustPackage: o.trustPackage ?? RUN_OPTIONS.trustPackage.default
    };
}

;// CONCATENATED MODULE: ./src/core/run/sandbox.ts
/**
 * The security rules of `run` for a package it does not trust, as pure
 * decisions: each returns what to do, and the caller (runner.ts) words the
 * log line or the error. A package is untrusted unless the user says
 * `--trust-package`: its Dockerfile's `RUN` steps run as root during the
 * build, and its job runs with whatever the image declares (docs/SECURITY.md,
 * "Building and running a package").
 *
 * - sandboxVerdict: may this engine build and run the package, and how.
 * - resolveJobUser: the numeric uid:gid the job runs as, read from the
 *   image's own /etc/passwd and /etc/group; never uid 0.
 */

/**
 * May `engine` build and run a package, given what it can isolate and whether the user trusts the package?
 * The none engine is a choice the user makes by name, documented as for trusted jobs only (it warns): it is never
 * refused here, so that `--engine none` keeps working as documented.
 */
function sandboxVerdict(engine, isolation, trustPackage) {
    if (engine === 'none' || isolation.kind === 'none')
        return { verdict: 'trusted', isolation };
    if (trustPackage)
        return { verdict: 'trusted', isolation };
    if (isolation.kind === 'weak')
        return { verdict: 'refused', why: isolation.why };
    return { verdict: 'isolated' };
}
/** The largest uid/gid Linux has (2^32 - 2; -1 means "unchanged" to the kernel). */
const MAX_ID = 2 ** 32 - 2;
const NUMERIC = /^\d+$/;
function idOf(text) {
    if (!NUMERIC.test(text))
        return undefined;
    const n = Number(text);
    return n <= MAX_ID ? n : undefined;
}
/** `name:x:uid:gid:…` lines of /etc/passwd: name → ids (the first entry of a name wins, as getpwnam does). */
function parsePasswd(text) {
    const users = new Map();
    for (const line of text.split('\n')) {
        const f = line.split(':');
        if (f.length < 4 || f[0] === '' || line.startsWith('#'))
            continue;
        const uid = idOf(f[2]);
        const gid = idOf(f[3]);
        if (uid !== undefined && gid !== undefined && !users.has(f[0]))
            users.set(f[0], { uid, gid });
    }
    return users;
}
/** `name:x:gid:…` lines of /etc/group: name → gid. */
function parseGroup(text) {
    const groups = new Map();
    for (const line of text.split('\n')) {
        const f = line.split(':');
        if (f.length < 3 || f[0] === '' || line.startsWith('#'))
            continue;
        const gid = idOf(f[2]);
        if (gid !== undefined && !groups.has(f[0]))
            groups.set(f[0], gid);
    }
    return groups;
}
/**
 * The numeric uid:gid the job runs as, from the image's USER (`user`, `user:group`, names or numbers) and its own
 * account files.
 *
 * - No USER, or USER spelled `root` or `0` (the documented case: many images leave USER unset): the job uid
 *   10001:10001 instead, and the caller warns.
 * - Any other spelling of uid 0 (`00`, `000`, a name the image's passwd maps to 0) is refused: it can only be there to
 *   pass a check by name, and the job must never run as root. With `--trust-package` it is replaced by 10001 like an
 *   image that says root. There is no way to run a job as root (under chroot isolation root in the job is root here).
 * - A number is read as a number (`0010` is 10); a name is looked up in the image's /etc/passwd (group: /etc/group);
 *   a name the image does not have is refused, as docker would fail on it. A numeric uid without a passwd entry gets
 *   its own number as gid (docker would use group 0).
 */
function resolveJobUser(declared, accounts, trustPackage) {
    const text = declared.trim();
    const colon = text.indexOf(':');
    const userPart = (colon < 0 ? text : text.slice(0, colon)).trim();
    const groupPart = colon < 0 ? undefined : text.slice(colon + 1).trim();
    const jobUser = { user: { uid: JOB_UID, gid: JOB_UID }, replaced: true };
    if (userPart === '' || userPart === 'root' || userPart === '0')
        return jobUser;
    const users = accounts.passwd === undefined ? undefined : parsePasswd(accounts.passwd);
    let uid = idOf(userPart);
    let gid;
    if (uid === undefined) {
        if (NUMERIC.test(userPart))
            return { refused: `USER ${declared}: ${userPart} is not a uid (the largest is ${MAX_ID}).` };
        const entry = users?.get(userPart);
        if (!entry) {
            return {
                refused: accounts.unreadable
                    ? `USER ${declared}: a user name cannot be resolved to a uid here (${accounts.unreadable}); give USER as a number (uid:gid).`
                    : `USER ${declared}: the image has no user ${JSON.stringify(userPart)} in its /etc/passwd${users ? '' : ' (it has no /etc/passwd)'}; give USER as a number (uid:gid).`
            };
        }
        uid = entry.uid;
        gid = entry.gid;
    }
    else {
        for (const entry of users?.values() ?? []) {
            if (entry.uid === uid) {
                gid = entry.gid;
                break;
            }
        }
        gid ??= uid;
    }
    if (uid === 0) {
        if (trustPackage)
            return jobUser;
        return {
            refused: `USER ${declared} is root (uid 0${NUMERIC.test(userPart) ? '' : ` in the image's /etc/passwd`}) under another name; a job never runs as root. Set USER to a non-root user, or remove it (the job then runs as ${JOB_UID}:${JOB_UID}); with --trust-package the job runs as ${JOB_UID}:${JOB_UID} instead.`
        };
    }
    if (groupPart !== undefined && groupPart !== '') {
        const g = idOf(groupPart) ??
            (NUMERIC.test(groupPart) ? undefined : accounts.group === undefined ? undefined : parseGroup(accounts.group).get(groupPart));
        if (g === undefined)
            return {
                refused: `USER ${declared}: the image has no group ${JSON.stringify(groupPart)} in its /etc/group; give USER as numbers (uid:gid).`
            };
        gid = g;
    }
    return { user: { uid, gid }, replaced: false };
}

;// CONCATENATED MODULE: ./src/core/run/runner.ts
/**
 * `run`: verify the package, unpack it, build its image, run the job with
 * limits, and keep what it produced. Phases, each timed:
 *
 *   verify    verify.ts: the archive unpacked into the work folder while
 *             it is checked (a job folder is copied there first, then
 *             checked: what is run is what was checked)
 *   engine    engines/: the one asked for, or auto; refused when it cannot
 *             isolate a package the user does not trust (sandbox.ts)
 *   build     the package's Dockerfile, tag from job id + content digest;
 *             isolated unless the package is trusted
 *   run       the job as the image's non-root user resolved to numbers from
 *             the image (or 10001 when the image declares root or no user;
 *             sandbox.ts), OUTPUT_DIR a host folder, stdout and stderr
 *             captured; stopped at the timeout, at the output limit, or on
 *             cancellation; every process of the job gone before capture
 *   capture   capture.ts: logs and OUTPUT_DIR into {job_id}-result/,
 *             result.json, and {job_id}-result.tar.gz by the archive writer
 *             (tar-archive.ts), committed like a package (fs/job-output.ts)
 *
 * A job that fails is a result, not an error: its exit status is in the
 * result. Errors are for what kept the job from running (a package that
 * fails verification, no engine, a build that fails).
 */
















/** How often the output folder's size is measured while the job runs. */
const OUTPUT_POLL_MS = 500;
async function runPackage(source, options, logger) {
    checkOptions(options);
    const started = Date.now();
    const startedAt = new Date(started).toISOString();
    const signal = options.signal ?? new AbortController().signal;
    const resultsDir = external_node_path_default().resolve(options.resultsDir);
    if (options.workDir)
        await (0,promises_namespaceObject.mkdir)(options.workDir, { recursive: true });
    const work = await (0,promises_namespaceObject.mkdtemp)(external_node_path_default().join(options.workDir ? external_node_path_default().resolve(options.workDir) : external_node_os_default().tmpdir(), 'job-packager-run-'));
    const warnings = [];
    let removeContainer;
    const warn = (w) => {
        warnings.push(w);
        logger.warn(w);
    };
    try {
        // verify (and unpack)
        const verifyStart = Date.now();
        const pkg = await logger.group('Verify the package', () => unpack(source, work, options, logger));
        const { result: verified, root } = pkg;
        const jobId = verified.jobId;
        const verifyMs = Date.now() - verifyStart;
        const resultName = `${jobId}-result`;
        for (const p of [external_node_path_default().join(resultsDir, resultName), external_node_path_default().join(resultsDir, `${resultName}.tar.gz`)]) {
            if (await (0,promises_namespaceObject.lstat)(p).catch(() => undefined)) {
                throw new OutputError(`${p} already exists: the results of an earlier run of ${jobId}. Remove them, or choose another results folder.`);
            }
        }
        const engine = await resolveEngine(options.engine);
        logger.info(`Engine: ${engine.name} ${engine.version}${options.engine === 'auto' ? ' (auto)' : ''}`);
        if (engine.name === 'none') {
            warn('Engine none: the job runs directly on this machine as this user, without a container or any isolation; only for trusted jobs.');
        }
        const trusted = options.trustPackage ?? false;
        const sandbox = sandboxVerdict(engine.name, engine.isolation, trusted);
        if (sandbox.verdict === 'refused') {
            throw new EngineError(`The ${engine.name} engine cannot isolate this package: ${sandbox.why}. Under chroot isolation the package's build steps run as root and can leave their chroot, act on this machine as root and reach servers on its loopback. Nothing was built. Install an OCI runtime (apt-get install runc, or crun) and leave BUILDAH_ISOLATION unset, or use docker or podman; or, only if you trust this package, pass --trust-package (the run action's input trust-package: true).`);
        }
        if (sandbox.verdict === 'isolated')
            logger.info(`The package is untrusted: ${engine.name} builds and runs it isolated`);
        else if (engine.name === 'buildah') {
            warn(`The package is trusted (--trust-package): buildah builds and runs it as it is configured${sandbox.isolation.kind === 'weak' ? ` (${sandbox.isolation.why})` : ''}, the build on this machine's network, not isolated from this machine.`);
        }
        else if (engine.name !== 'none')
            logger.info(`The package is trusted (--trust-package); ${engine.name} isolates every package alike.`);
        const isolated = sandbox.verdict === 'isolated';
        const unenforced = [
            options.memory !== undefined && !engine.enforces.memory ? `memory ${options.memory}` : undefined,
            options.cpus !== undefined && !engine.enforces.cpus ? `cpus ${options.cpus}` : undefined,
            options.network === 'none' && !engine.enforces.network ? 'network none' : undefined
        ].filter((x) => x !== undefined);
        if (unenforced.length > 0)
            warn(`The ${engine.name} engine cannot enforce ${unenforced.join(', ')}: the job runs without ${unenforced.length > 1 ? 'these limits' : 'this limit'}.`);
        if (options.gpus && engine.name === 'none')
            warn(`Engine none: --gpus ${options.gpus} has no effect; the job sees whatever GPUs this machine has.`);
        const env = verified.manifest.environment;
        // A package built for a GPU still runs without one (the job then sees no GPU): say how to give it one.
        if (env?.gpu?.selected && options.gpus === undefined && engine.name !== 'none') {
            warn(`This job was packaged on a CUDA base (${env.gpu.reason}), but no GPU was asked for: the job sees none. To give it one: --gpus all (docker and podman).`);
        }
        // build
        const mountPackage = env?.build_context === 'code';
        const tag = imageTag(jobId, verified.contentDigest);
        const buildStart = Date.now();
        let imageId;
        if (engine.name !== 'none') {
            const built = await logger.group(`Build the image ${tag}`, () => engine.build({
                context: mountPackage ? external_node_path_default().join(root, 'code') : root,
                dockerfile: external_node_path_default().join(root, env?.dockerfile ?? 'Dockerfile'),
                tag,
                buildArgs: options.buildArgs ?? [],
                onOutput: (chunk) => {
                    for (const line of chunk.toString('utf8').split('\n'))
                        if (line.trim())
                            logger.debug(line);
                },
                signal,
                isolated
            }));
            imageId = built.imageId;
            logger.info(`Built ${tag} (${imageId})`);
        }
        const buildMs = Date.now() - buildStart;
        if (signal.aborted)
            throw new InterruptedError('Interrupted while the image was being built; the job did not run.');
        // run
        const name = `job-packager-${safeName(jobId)}-${(0,external_node_crypto_namespaceObject.randomBytes)(4).toString('hex')}`;
        let user;
        let runAs = '';
        // The working container (buildah) is removed however the run ends, a refused user included.
        removeContainer = async () => engine.cleanup?.(name);
        if (engine.name === 'none')
            user = hostUser();
        else {
            // Numbers, from the image's own account files: a uid 0 under any spelling never reaches the engine.
            const image = await engine.imageUser(tag, name);
            const resolved = resolveJobUser(image.declared, image.accounts, trusted);
            if ('refused' in resolved)
                throw new EngineError(`The job cannot run: ${resolved.refused}`);
            runAs = `${resolved.user.uid}:${resolved.user.gid}`;
            user = runAs;
            if (resolved.replaced) {
                const declared = image.declared.trim();
                warn(`The image declares ${declared ? `USER ${declared}` : 'no USER'} (root); the job runs as ${runAs} instead.`);
            }
        }
        const outputDir = external_node_path_default().join(work, 'output');
        await (0,promises_namespaceObject.mkdir)(outputDir);
        // Writable by the image's user whatever its uid (and under a user namespace's mapping); the folder is ours alone.
        await (0,promises_namespaceObject.chmod)(outputDir, 0o777);
        const logsDir = external_node_path_default().join(work, 'logs');
        await (0,promises_namespaceObject.mkdir)(logsDir);
        const stdout = new LogSink(external_node_path_default().join(logsDir, 'stdout.log'), options.maxLogBytes);
        const stderr = new LogSink(external_node_path_default().join(logsDir, 'stderr.log'), options.maxLogBytes);
        const runStart = Date.now();
        const finishedJob = await logger.group(`Run ${jobId} (${engine.name})`, () => runJob(engine, {
            name,
            image: tag,
            root,
            mountPackage,
            outputDir,
            user: runAs,
            isolated,
            options,
            signal,
            stdout,
            stderr,
            logger
        }));
        const runMs = Date.now() - runStart;
        const stdoutLog = stdout.close();
        const stderrLog = stderr.close();
        const { exitCode, stopped } = finishedJob;
        logger.info(stopped
            ? `The job was stopped (${stopReasonText(stopped, options)}); status ${exitCode}`
            : `The job exited with status ${exitCode} after ${(runMs / 1000).toFixed(1)} s`);
        // capture
        const captureStart = Date.now();
        const out = await JobOutput.open(resultsDir, resultName, logger);
        try {
            const captured = await captureOutput(outputDir, external_node_path_default().join(out.stagingDir, 'output'), options.maxOutputBytes);
            if (stopped === 'output-limit')
                captured.truncated = true;
            if (captured.truncated)
                warn(`The job wrote more than the output limit of ${options.maxOutputBytes} bytes; ${captured.omitted.length} file(s) were left out (see result.json).`);
            for (const o of captured.omitted.filter((x) => !x.reason.startsWith('over the')))
                warn(`output/${o.path} was left out: ${o.reason}.`);
            await (0,promises_namespaceObject.cp)(external_node_path_default().join(logsDir, 'stdout.log'), external_node_path_default().join(out.stagingDir, 'stdout.log'));
            await (0,promises_namespaceObject.cp)(external_node_path_default().join(logsDir, 'stderr.log'), external_node_path_default().join(out.stagingDir, 'stderr.log'));
            for (const [n, s] of [
                ['stdout', stdout],
                ['stderr', stderr]
            ]) {
                if (s.truncated)
                    warn(`The job's ${n} was ${s.bytes} bytes; the first ${s.kept} are kept (the log limit).`);
            }
            const finishedAt = new Date().toISOString();
            const captureMs = Date.now() - captureStart;
            const timings = { verifyMs, buildMs, runMs, captureMs, totalMs: Date.now() - started };
            const resultJson = {
                job_id: jobId,
                schema: 'job-packager/result@1',
                packager: { name: PACKAGER_NAME, version: PACKAGER_VERSION },
                package: packageJson(verified),
                exit_code: exitCode,
                stopped: stopped ?? null,
                timed_out: stopped === 'timeout',
                engine: { name: engine.name, version: engine.version, isolated },
                trusted_package: trusted,
                image: engine.name === 'none' ? null : { id: imageId ?? null, tag, build_args: options.buildArgs ?? [] },
                user,
                limits: {
                    timeout_s: options.timeoutMs / 1000,
                    memory: options.memory ?? null,
                    cpus: options.cpus ?? null,
                    network: options.network,
                    gpus: options.gpus ?? null,
                    max_output_bytes: options.maxOutputBytes,
                    max_log_bytes: options.maxLogBytes,
                    not_enforced: unenforced
                },
                host: { name: external_node_os_default().hostname(), platform: process.platform, arch: process.arch, kernel: external_node_os_default().release() },
                started_at: startedAt,
                finished_at: finishedAt,
                timings_ms: { verify: verifyMs, build: buildMs, run: runMs, capture: captureMs },
                logs: {
                    stdout: logJson('stdout.log', stdout, stdoutLog.sha256),
                    stderr: logJson('stderr.log', stderr, stderrLog.sha256)
                },
                output: outputJson(captured),
                warnings
            };
            await (0,promises_namespaceObject.writeFile)(external_node_path_default().join(out.stagingDir, 'result.json'), `${JSON.stringify(resultJson, null, 2)}\n`, { flag: 'wx', mode: 0o644 });
            await (0,promises_namespaceObject.chmod)(out.stagingDir, 0o755);
            // No signal: a cancelled run still keeps its (partial) results, saying it was stopped.
            const entries = await walkTree(out.stagingDir);
            const archive = await writeArchive({
                root: out.stagingDir,
                entries,
                prefix: resultName,
                mtime: new Date(verified.manifest.source.commit_time),
                level: 6,
                dest: out.archiveTemp
            });
            await out.commit();
            logger.info(`Results: ${out.jobDir} and ${out.archivePath} (sha256 ${archive.sha256})`);
            return {
                jobId,
                exitCode,
                timedOut: stopped === 'timeout',
                stopped,
                engine: { name: engine.name, version: engine.version },
                isolated,
                imageId,
                imageTag: engine.name === 'none' ? undefined : tag,
                user,
                contentDigest: verified.contentDigest,
                timings,
                resultDir: out.jobDir,
                resultArchive: out.archivePath,
                resultSha256: archive.sha256,
                stdoutTail: stdout.tail(),
                stderrTail: stderr.tail(),
                truncated: { stdout: stdout.truncated, stderr: stderr.truncated, output: captured.truncated },
                output: { bytes: captured.bytes, files: captured.files },
                warnings
            };
        }
        finally {
            await out.discard();
        }
    }
    finally {
        await removeContainer?.().catch(() => undefined);
        await (0,promises_namespaceObject.rm)(work, { recursive: true, force: true }).catch(() => undefined);
    }
}
/** The package, verified, in the work folder: an archive is unpacked there; a folder is copied there and the copy verified. */
async function unpack(source, work, options, logger) {
    const dest = external_node_path_default().join(work, 'package');
    await (0,promises_namespaceObject.mkdir)(dest);
    const st = await (0,promises_namespaceObject.lstat)(external_node_path_default().resolve(source)).catch(() => undefined);
    if (st?.isDirectory()) {
        const copy = external_node_path_default().join(dest, external_node_path_default().basename(external_node_path_default().resolve(source)));
        // The copy is what is verified and run: the folder given cannot change between the two.
        logger.info(`Copying the job folder ${external_node_path_default().resolve(source)} into the work folder; the copy is verified and run`);
        // verbatimSymlinks: links are copied as links (and then checked), never followed.
        await (0,promises_namespaceObject.cp)(external_node_path_default().resolve(source), copy, { recursive: true, verbatimSymlinks: true, errorOnExist: true });
        const inspected = await inspectPackage(copy, { ...verifyOptionsOf(options), signal: options.signal }, logger);
        return { result: { ...inspected.result, source: external_node_path_default().resolve(source) }, root: copy };
    }
    const inspected = await inspectPackage(source, { ...verifyOptionsOf(options), signal: options.signal, dest }, logger);
    return { result: inspected.result, root: inspected.root };
}
/** Starts the job and waits for it, stopping it at the first of: the timeout, the output limit, the signal. */
async function runJob(engine, r) {
    const { options } = r;
    const job = await engine.start({
        image: r.image,
        packageRoot: r.root,
        mountPackage: r.mountPackage,
        outputDir: r.outputDir,
        user: r.user,
        isolated: r.isolated,
        network: options.network,
        memory: engine.enforces.memory ? options.memory : undefined,
        cpus: engine.enforces.cpus ? options.cpus : undefined,
        gpus: options.gpus && engine.name !== 'none' ? options.gpus : undefined,
        name: r.name,
        onStdout: (chunk) => {
            r.stdout.write(chunk);
            options.onOutput?.('stdout', chunk);
        },
        onStderr: (chunk) => {
            r.stderr.write(chunk);
            options.onOutput?.('stderr', chunk);
        }
    }, r.logger);
    let stopped;
    const stop = (reason) => {
        if (stopped)
            return;
        stopped = reason;
        r.logger.warn(`Stopping the job: ${stopReasonText(reason, options)}.`);
        void job.stop();
    };
    const timer = setTimeout(() => stop('timeout'), options.timeoutMs);
    const onAbort = () => stop('signal');
    r.signal.addEventListener('abort', onAbort, { once: true });
    if (r.signal.aborted)
        onAbort();
    let polling = false;
    const poll = setInterval(() => {
        if (polling || stopped)
            return;
        polling = true;
        void treeBytes(r.outputDir)
            .then((bytes) => {
            if (bytes > options.maxOutputBytes)
                stop('output-limit');
        })
            .finally(() => (polling = false));
    }, OUTPUT_POLL_MS);
    try {
        const exitCode = await job.done;
        // A job that wrote past the limit and exited before the next poll is over the limit all the same.
        if (!stopped && (await treeBytes(r.outputDir)) > options.maxOutputBytes)
            stopped = 'output-limit';
        return { exitCode, stopped };
    }
    catch (err) {
        // The engine's own words (processes that survived the job, a refused start) stand as they are.
        if (err instanceof EngineError)
            throw err;
        throw new EngineError(`The job could not be started with ${engine.name}: ${err.message}`, { cause: err });
    }
    finally {
        clearTimeout(timer);
        clearInterval(poll);
        r.signal.removeEventListener('abort', onAbort);
    }
}
function stopReasonText(reason, options) {
    if (reason === 'timeout')
        return `it ran longer than the time limit of ${options.timeoutMs / 1000} s`;
    if (reason === 'output-limit')
        return `it wrote more than the output limit of ${options.maxOutputBytes} bytes into OUTPUT_DIR`;
    return 'the run was cancelled';
}
/** Lower case, and only what an image name component allows. */
function safeName(jobId) {
    return (jobId
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'job');
}
/** `localhost/job-packager/{job id}:{12 hex of the content digest}`: the same package gets the same tag. */
function imageTag(jobId, digest) {
    return `localhost/job-packager/${safeName(jobId)}:${digest.replace(/^sha256:/, '').slice(0, 12)}`;
}
function packageJson(v) {
    return {
        source: v.source,
        source_kind: v.sourceKind,
        archive_sha256: v.archiveSha256 ?? null,
        archive_sha256_checked: v.archiveSha256Checked,
        content_digest: v.contentDigest,
        files: v.files,
        commit: v.manifest.source.commit,
        command: v.manifest.spec.command
    };
}
function logJson(file, sink, sha256) {
    return { file, bytes: sink.bytes, kept_bytes: sink.kept, truncated: sink.truncated, sha256 };
}
function outputJson(c) {
    return { folder: 'output', files: c.files, bytes: c.bytes, truncated: c.truncated, omitted: c.omitted };
}
/** What a library caller may get wrong; the shells have checked their users' values already, with the registry's kinds. */
function checkOptions(o) {
    const bad = (field, problem, accepted) => {
        throw new SpecError(field, problem, accepted);
    };
    if (!ENGINE_NAMES.includes(o.engine))
        bad('engine', `${JSON.stringify(o.engine)} is not an engine`, ENGINE_NAMES.join(', '));
    if (!NETWORK_MODES.includes(o.network))
        bad('network', `${JSON.stringify(o.network)} is not a network mode`, NETWORK_MODES.join(', '));
    if (!(o.timeoutMs > 0))
        bad('timeoutMs', 'must be positive', 'milliseconds, more than 0');
    if (!(o.maxOutputBytes > 0))
        bad('maxOutputBytes', 'must be positive', 'bytes, more than 0');
    if (!(o.maxLogBytes > 0))
        bad('maxLogBytes', 'must be positive', 'bytes, more than 0');
    if (!o.resultsDir)
        bad('resultsDir', 'is empty', 'a folder path');
}

;// CONCATENATED MODULE: ./src/core/index.ts
/** The packager core's public API. Nothing here imports @actions/core: both shells (Action, CLI) build on it. */























// EXTERNAL MODULE: ./node_modules/fastest-levenshtein/mod.js
var mod = __nccwpck_require__(916);
;// CONCATENATED MODULE: ./src/cli/args.ts
/**
 * The CLI's argument parser, driven by the option registry: every flag, alias
 * and environment variable comes from there, so the CLI cannot accept or
 * document an option the registry does not define.
 *
 * node:util `parseArgs` splits the command line into tokens (`--a=b`,
 * grouped short flags, `--`); this module gives them meaning. It never stops
 * at the first mistake: unknown flags (with a "did you mean"), missing
 * values and repeated flags are all collected as problems, named as the user
 * typed them, so one run reports everything. (commander and yargs stop at the
 * first error and print their own text, which is why they are not used.)
 */



const COMMANDS = COMMAND_NAMES;
/**
 * Every spelling of every flag (name, aliases, short form) → its registry
 * entries, one per command that has a flag so spelled (`--timeout` is
 * packing's deadline under pack and the job's under run). Whether a flag
 * takes a value is the same for all of them (the registry test checks), so
 * the command line can be split before the command is known.
 */
function flagTable() {
    const table = new Map();
    const put = (name, entry) => void table.set(name, [...(table.get(name) ?? []), entry]);
    for (const [key, def] of EVERY_OPTION) {
        if (!isCliFlag(def.cli))
            continue;
        const entry = { key, def, cli: def.cli, takesValue: def.kind.metavar !== undefined };
        for (const name of [def.cli.flag, ...(def.cli.aliases ?? [])])
            put(`--${name}`, entry);
        if (def.cli.short)
            put(`-${def.cli.short}`, entry);
    }
    return table;
}
/** The entry of `written` for `command`, if that command has such a flag. */
function entryFor(entries, command) {
    return entries.find((e) => optionCommands(e.def).includes(command));
}
const BUILTIN = new Map([
    ['--help', 'help'],
    ['-h', 'help'],
    ['--version', 'version']
]);
/** The closest known flag, when it is close enough to be what the user meant. */
function suggestFlag(written, known) {
    const long = known.filter((k) => k.startsWith('--'));
    if (long.length === 0 || !written.startsWith('--'))
        return undefined;
    const best = (0,mod/* closest */.kp)(written, long);
    // Within a third of the word (at least 2 edits), or the start of exactly one flag.
    const near = (0,mod/* distance */.Io)(written, best) <= Math.max(2, Math.floor(written.length / 3));
    const prefixed = long.filter((k) => k.startsWith(written));
    if (near)
        return best;
    return prefixed.length === 1 ? prefixed[0] : undefined;
}
const PACKAGER_HELP = (command) => `${command} --help`;
function parseCliArgs(argv, env = process.env) {
    const table = flagTable();
    const out = { operands: [], given: new Map(), help: false, version: false, problems: [] };
    const add = (key, text, as) => {
        const list = out.given.get(key) ?? [];
        list.push({ text, as });
        out.given.set(key, list);
    };
    const problem = (field, what, accepted) => {
        out.problems.push({ field, problem: what, accepted });
    };
    const { tokens } = (0,external_node_util_namespaceObject.parseArgs)({ args: [...argv], strict: false, allowPositionals: true, tokens: true, options: {} });
    /** Argument indexes already used as a flag's value. */
    const consumed = new Set();
    /** Flags in order, resolved once the command is known. */
    const flags = [];
    for (const token of tokens) {
        if (consumed.has(token.index))
            continue;
        if (token.kind === 'option-terminator')
            continue;
        if (token.kind === 'positional') {
            if (out.command === undefined)
                out.command = token.value;
            else
                out.operands.push(token.value);
            continue;
        }
        const written = token.rawName;
        const builtin = BUILTIN.get(written);
        if (builtin === 'help') {
            out.help = true;
            continue;
        }
        if (builtin === 'version') {
            out.version = true;
            continue;
        }
        const entry = table.get(written);
        // The value: `--flag=value`, else the next argument (even one starting with "-": `--command -x`).
        const takeValue = () => {
            if (token.inlineValue)
                return token.value;
            const next = argv[token.index + 1];
            if (next === undefined)
                return undefined;
            consumed.add(token.index + 1);
            return next;
        };
        if (!entry) {
            const suggestion = suggestFlag(written, [...table.keys(), ...BUILTIN.keys()]);
            // A typo of a flag that takes a value is followed by that value: don't read it as a command.
            if (suggestion && table.get(suggestion)?.[0]?.takesValue)
                takeValue();
            problem(written, suggestion ? `is not a known option; did you mean ${suggestion}?` : 'is not a known option', 'the options listed by --help');
            continue;
        }
        const as = written;
        const first = entry[0];
        if (!first.takesValue) {
            // A boolean: `--flag`, or `--flag=true|false`.
            flags.push({ written: as, entries: entry, value: token.inlineValue ? (token.value ?? '') : 'true' });
            continue;
        }
        const value = takeValue();
        if (value === undefined) {
            problem(as, 'needs a value', `${as} ${first.def.kind.metavar ?? 'VALUE'}`);
            continue;
        }
        flags.push({ written: as, entries: entry, value });
    }
    // No command word but flags: the form from before subcommands, which is pack.
    if (out.command === undefined && argv.length > 0)
        out.command = 'pack';
    const command = COMMANDS.includes(out.command ?? '') ? out.command : undefined;
    if (command === undefined)
        return out;
    for (const { written, entries, value } of flags) {
        const entry = entryFor(entries, command);
        if (entry)
            add(entry.key, value, written);
        else {
            const owners = [...new Set(entries.flatMap((e) => optionCommands(e.def)))];
            problem(written, `is an option of ${owners.join(' and ')}, not of ${command}`, `the options listed by ${PACKAGER_HELP(command)}`);
        }
    }
    // Options read from the environment (secrets never go on a command line, where `ps` shows them).
    for (const [key, def] of EVERY_OPTION) {
        if (!optionCommands(def).includes(command))
            continue;
        if (def.cli && !isCliFlag(def.cli)) {
            const value = env[def.cli.env];
            if (value)
                add(key, value, `$${def.cli.env}`);
        }
    }
    return out;
}

;// CONCATENATED MODULE: ./src/cli/cli-names.ts
/** How the CLI names an option in a message: its flag, or how to set it (`--allow-protocols https,http`). */

const cliNamer = (key, value) => {
    const def = optionDef(key);
    if (!def?.cli)
        return key;
    if (!isCliFlag(def.cli))
        return `$${def.cli.env}`;
    const flag = `--${def.cli.flag}`;
    if (value === undefined)
        return flag;
    if (!def.kind.metavar)
        return value === 'true' ? flag : `${flag}=${value}`;
    return `${flag} ${value}`;
};

;// CONCATENATED MODULE: ./src/cli/cli-logger.ts
/**
 * The CLI's logger: messages, warnings and progress on stderr, so stdout stays
 * clean for the result (and --json).
 *
 * Progress takes one of two forms:
 * - on a terminal, one status line at the bottom, redrawn in place (carriage
 *   return, text, clear to the end of the line) a few times a second with
 *   every running item on it. It is erased before any other line is printed
 *   (and redrawn on the next tick), when nothing is running, and when a phase
 *   ends, so a log line never shares a line with it and nothing is left of it
 *   when the result is printed;
 * - anywhere else (CI logs, pipes, files), plain lines: one per running item
 *   every 10 s, and one when it is done. Redrawing there would leave every
 *   frame in the file.
 * --quiet shows no progress.
 */

/** How often the terminal line is redrawn. */
const LINE_REFRESH_MS = 250;
/** How often a plain progress line is printed per running item. */
const PLAIN_INTERVAL_MS = 10_000;
const CLEAR_LINE = '\r\x1b[K';
function createCliLogger(opts) {
    const stream = opts.stream ?? process.stderr;
    const mode = opts.quiet ? 'off' : resolveMode(opts.progress ?? 'auto', stream);
    const status = mode === 'line' ? new StatusLine(stream, opts.now) : undefined;
    const write = (line) => {
        status?.erase();
        stream.write(`${line}\n`);
    };
    const plain = mode === 'plain' ? new ProgressMeter({ intervalMs: PLAIN_INTERVAL_MS, now: opts.now }) : undefined;
    const logger = {
        info: (m) => {
            if (!opts.quiet)
                write(m);
        },
        warn: (m) => write(`warning: ${m}`),
        debug: (m) => {
            if (opts.verbose)
                write(`debug: ${m}`);
        },
        group: async (name, fn) => {
            if (!opts.quiet)
                write(`== ${name}`);
            try {
                return await fn();
            }
            finally {
                // Whatever the phase left running (it failed, or was cancelled) is over with it.
                status?.reset();
                plain?.clear();
            }
        }
    };
    if (status)
        logger.progress = (update) => status.record(update);
    else if (plain)
        logger.progress = (update) => {
            const report = plain.record(update);
            if (report)
                write(formatProgress(report));
        };
    return logger;
}
function resolveMode(mode, stream) {
    if (mode !== 'auto')
        return mode;
    return stream.isTTY && process.env.TERM !== 'dumb' ? 'line' : 'plain';
}
/** The redrawn terminal line. */
class StatusLine {
    stream;
    meter;
    timer;
    shown = false;
    constructor(stream, now) {
        this.stream = stream;
        // Reports come from snapshot() on the timer; record()'s own cadence is not used.
        this.meter = new ProgressMeter({ intervalMs: Infinity, now });
    }
    record(update) {
        this.meter.record(update);
        if (this.meter.size === 0)
            this.reset();
        else if (!this.timer) {
            // First drawn on the next tick: an item done within a quarter second never flashes by.
            this.timer = setInterval(() => this.draw(), LINE_REFRESH_MS);
            // The line must never keep the CLI alive on its own.
            this.timer.unref();
        }
    }
    /** Removes the line from the screen; the next tick draws it again. */
    erase() {
        if (!this.shown)
            return;
        this.stream.write(CLEAR_LINE);
        this.shown = false;
    }
    /** Forgets every item, stops the timer, erases the line. */
    reset() {
        this.meter.clear();
        clearInterval(this.timer);
        this.timer = undefined;
        this.erase();
    }
    draw() {
        const reports = this.meter.snapshot();
        if (reports.length === 0)
            return;
        // The last column stays free: writing into it makes some terminals wrap, and \r would then redraw only the wrapped part.
        const width = Math.max(20, (this.stream.columns || 80) - 1);
        this.stream.write(`\r${fit(reports.map(formatProgress).join(' | '), width)}\x1b[K`);
        this.shown = true;
    }
}
/** Cut to `width` characters (code points), with an ellipsis. */
function fit(text, width) {
    const chars = [...text];
    return chars.length <= width ? chars.join('') : `${chars.slice(0, width - 1).join('')}…`;
}

;// CONCATENATED MODULE: ./src/cli/help.ts
/**
 * `job-packager --help`, generated from the option registry: one section per
 * group, each flag with its value placeholder, aliases, help and default. A
 * test checks that every registry entry the CLI takes is listed.
 */



const WIDTH = 100;
const FLAG_COLUMN = 30;
/** Words wrapped to `width`, every line after the first indented by `indent`. */
function wrap(text, width, indent) {
    const lines = [];
    let line = '';
    for (const word of text.split(/\s+/).filter(Boolean)) {
        if (line && line.length + 1 + word.length > width) {
            lines.push(line);
            line = word;
        }
        else
            line = line ? `${line} ${word}` : word;
    }
    if (line)
        lines.push(line);
    return lines.join(`\n${' '.repeat(indent)}`);
}
/** The default as the CLI's user sees it, or undefined when there is none worth showing. */
function cliDefault(def) {
    if (isCliFlag(def.cli) && def.cli.defaultText)
        return def.cli.defaultText;
    if (def.default === undefined || def.default === false)
        return undefined;
    return def.kind.format(def.default);
}
/** The left column: `--flag VALUE, --alias` (or the environment variable). */
function cliSynopsis(def) {
    if (!def.cli)
        return '';
    if (!isCliFlag(def.cli))
        return `$${def.cli.env}`;
    const value = def.kind.metavar ? ` ${def.kind.metavar}` : '';
    const names = [`--${def.cli.flag}${value}`, ...(def.cli.aliases ?? []).map((a) => `--${a}`)];
    if (def.cli.short)
        names.unshift(`-${def.cli.short}`);
    return names.join(', ');
}
function cliHelpText(def) {
    const text = helpText(def.cli?.help ?? def.help, (key) => cliNamer(key));
    const extra = [];
    if (isCliFlag(def.cli) && def.cli.repeatable)
        extra.push('repeatable');
    const dflt = cliDefault(def);
    if (dflt !== undefined)
        extra.push(`default: ${dflt}`);
    return extra.length ? `${text} (${extra.join('; ')})` : text;
}
const USAGE = `Usage: ${PACKAGER_NAME} pack [options]
       ${PACKAGER_NAME} verify ARCHIVE|DIR [--sha256 HEX]
       ${PACKAGER_NAME} run ARCHIVE|DIR [options]
       ${PACKAGER_NAME} COMMAND --help | --version`;
const ABOUT = {
    pack: `Packages a git commit, its datasets and a command into {output-dir}/{job_id}/ and
{output-dir}/{job_id}.tar.gz (entries under {job_id}/); \`${PACKAGER_NAME} run\` runs it. The command
word may be left out: \`${PACKAGER_NAME} --git-url ...\` is pack.`,
    verify: `Checks a package ({job_id}.tar.gz, or its unpacked {job_id}/ folder): every file against
files.sha256 and the content digest in job.json, job.json against run.sh and data/, nothing that
could leave the folder when unpacked (absolute paths, .., symlinks out, hard links, devices) or
unpack past --max-package-bytes, with --sha256 the archive's own bytes, and the provenance
statement beside the archive (or --statement): it must name this package. Exit status 0 when
intact, 1 (naming the file) when not.`,
    run: `Verifies the package, unpacks it into a work folder, builds its image and runs the job with
limits as the image's non-root user; OUTPUT_DIR is captured. Writes {results-dir}/{job_id}-result/
(result.json, stdout.log, stderr.log, output/) and {results-dir}/{job_id}-result.tar.gz.
Exit status: the job's own; 124 when it was stopped at --timeout or --max-output-bytes;
1 when it could not be run; 2 invalid input; 130/143 interrupted.`
};
function renderHelp(command = 'pack') {
    const sections = new Map();
    const env = [];
    const row = (left, text) => {
        const pad = left.length + 2 >= FLAG_COLUMN ? `\n${' '.repeat(FLAG_COLUMN)}` : ' '.repeat(FLAG_COLUMN - left.length - 2);
        return `  ${left}${pad}${wrap(text, WIDTH - FLAG_COLUMN, FLAG_COLUMN)}`;
    };
    for (const [, def] of commandOptions(command)) {
        if (!def.cli)
            continue;
        const line = row(cliSynopsis(def), cliHelpText(def));
        if (!isCliFlag(def.cli))
            env.push(line);
        else
            sections.set(def.group, [...(sections.get(def.group) ?? []), line]);
    }
    const parts = [`${USAGE}\n\n${command}: ${ABOUT[command]}`];
    for (const [group, lines] of sections)
        parts.push(`${GROUP_TITLES[group]}:\n${lines.join('\n')}`);
    if (env.length > 0)
        parts.push(`Environment variables:\n${env.join('\n')}`);
    parts.push(`Other:\n${row('-h, --help', `This text; \`${PACKAGER_NAME} verify --help\`, \`${PACKAGER_NAME} run --help\` for theirs.`)}\n${row('--version', 'The version.')}`);
    if (command === 'pack') {
        parts.push(`Every problem with the flags and the spec is reported at once, each naming the flag (or the
field of --spec) to fix. Exit status: 0 packaged, 2 invalid input, 1 failure, 130/143 interrupted.`);
    }
    return `${parts.join('\n\n')}\n`;
}

;// CONCATENATED MODULE: ./src/cli/output.ts
/** What the CLI prints on stdout: the result as text or JSON, and (with --json) an error as JSON. */

function resultJson(result, provenancePath) {
    return {
        job_id: result.jobId,
        job_dir: result.jobDir,
        archive_path: result.archivePath,
        archive_sha256: result.archiveSha256,
        archive_bytes: result.archiveBytes,
        ...(provenancePath ? { provenance_path: provenancePath } : {}),
        content_digest: result.contentDigest,
        commit: result.commit,
        commit_time: result.commitTime,
        fetch: result.fetch,
        datasets: result.datasets.map(({ name, url, size, sha256, cached }) => ({ name, url, size, sha256, cached })),
        submodules: result.manifest.source.submodules,
        ...(result.manifest.source.lfs ? { lfs: result.manifest.source.lfs } : {}),
        warnings: result.warnings,
        ...baseImageJson(result),
        ...(result.manifest.environment?.gpu ? { gpu: result.manifest.environment.gpu } : {}),
        // The verdict and what floats, as job.json's environment.frozen has them (the files used are there too).
        ...(result.manifest.environment?.frozen
            ? { frozen: { verdict: result.manifest.environment.frozen.verdict, floats: result.manifest.environment.frozen.floats } }
            : {}),
        timings_ms: result.timings
    };
}
/**
 * The error as a script wants it: `kind` (errors.ts's ErrorKind, or
 * "unexpected"), the exit code, the message, for invalid input every
 * problem with the flag or field it names, and for a package that failed
 * verification the path it names (relative to the package's top folder).
 */
function errorJson(err, message, exitCode) {
    const kind = err instanceof JobPackagerError ? err.kind : 'unexpected';
    const error = { kind, exit_code: exitCode, message };
    if (err instanceof SpecError)
        error.problems = err.problems.map(({ field, problem, accepted }) => ({ field, problem, accepted }));
    if (err instanceof VerificationError)
        error.path = err.path;
    return { error };
}
function describeResult(result, provenancePath) {
    const lines = [
        `job_id          ${result.jobId}`,
        `job folder      ${result.jobDir}`,
        `archive         ${result.archivePath} (${formatBytes(result.archiveBytes)})`,
        `archive sha256  ${result.archiveSha256}`,
        ...(provenancePath ? [`provenance      ${provenancePath}`] : []),
        `content digest  ${result.contentDigest}`,
        `commit          ${result.commit} (${result.commitTime})`,
        ...result.datasets.map((d) => `dataset         data/${d.name} (${formatBytes(d.size)}, sha256 ${d.sha256})`),
        ...result.submodules.map((s) => `submodule       code/${s.path} at ${s.commit}${s.included ? '' : ' (left empty)'}`),
        ...(result.manifest.source.lfs
            ? [
                `git lfs         ${result.manifest.source.lfs.objects.length} file(s), ${result.manifest.source.lfs.fetched ? 'fetched and verified' : 'kept as pointers'}`
            ]
            : []),
        ...result.warnings.map((w) => `left out        ${w}`),
        ...baseImageLine(result),
        ...gpuLine(result),
        ...(result.manifest.environment?.frozen ? [`environment     ${describeFrozen(result.manifest.environment.frozen)}`] : [])
    ];
    return `${lines.join('\n')}\n`;
}
/** The base image the Dockerfile builds on, and whether it is pinned by digest (absent with the repository's own Dockerfile). */
function baseImageLine(result) {
    const env = result.manifest.environment;
    const pin = env?.base_image_pin;
    if (!env?.base_image || !pin)
        return [];
    const how = pin.status === 'pinned'
        ? `pinned by digest${pin.multi_arch ? ', multi-platform index' : ''}`
        : pin.status === 'given'
            ? 'digest as given'
            : `FLOATS: tag without digest (${pin.reason ?? 'not resolved'})`;
    return [`base image      ${env.base_image} (${how})`];
}
/** Whether the base is a CUDA image and how to run on a GPU; nothing for a job that does not use CUDA. */
function gpuLine(result) {
    const gpu = result.manifest.environment?.gpu;
    if (!gpu || !runsOnGpu(gpu))
        return [];
    const base = gpu.selected
        ? `CUDA base ${gpu.base ?? ''} (${gpu.reason})`
        : `${gpu.detected.join(', ')} use CUDA; no CUDA base (${gpu.reason})`;
    return [`gpu             ${base}; run with docker run --rm --gpus all`];
}
function baseImageJson(result) {
    const env = result.manifest.environment;
    if (!env?.base_image || !env.base_image_pin)
        return {};
    return { base_image: { reference: env.base_image, ...env.base_image_pin } };
}

;// CONCATENATED MODULE: ./src/cli/run-command.ts
/**
 * `job-packager verify` and `job-packager run`: their arguments (the one
 * operand, the package, and the registry's run options), and what they
 * print. main.ts owns the signals and the error handling, as for pack.
 */


/** The operand and the options, every problem at once (one SpecError). */
function readPackageInvocation(args, command) {
    const problems = new ProblemCollector();
    for (const p of args.problems)
        problems.add(p);
    if (args.operands.length === 0) {
        problems.add({ field: `${PACKAGER_NAME} ${command}`, problem: 'no package given', accepted: `${PACKAGER_NAME} ${command} ARCHIVE|DIR` });
    }
    else if (args.operands.length > 1) {
        problems.add({
            field: `${PACKAGER_NAME} ${command}`,
            problem: `unexpected argument ${JSON.stringify(args.operands[1])}`,
            accepted: `one package: ${PACKAGER_NAME} ${command} ARCHIVE|DIR`
        });
    }
    const options = {};
    for (const [key, list] of args.given) {
        if (!(key in RUN_OPTIONS))
            continue;
        const def = optionDef(key);
        try {
            const values = key === 'buildArgs' ? list : list.slice(-1);
            const parsed = values.map((v) => ({ v, value: def.kind.parse(v.text) }));
            Object.assign(options, { [key]: key === 'buildArgs' ? parsed.map((p) => p.value) : parsed[0].value });
        }
        catch (err) {
            if (!(err instanceof KindProblem))
                throw err;
            problems.add({ field: list.at(-1).as, problem: err.problem, accepted: err.accepted });
        }
    }
    problems.throwIfAny();
    return { command, source: args.operands[0], options };
}
/** True when the flag was given (shell options: json, quiet, verbose). */
function flagSet(args, key) {
    return args.given.get(key)?.at(-1)?.text === 'true';
}
async function verifyCommand(inv, logger, signal) {
    return verifyPackage(inv.source, { ...verifyOptionsOf(runOptionsFrom(inv.options)), signal }, logger);
}
async function runCommand(inv, logger, signal, json) {
    return runPackage(inv.source, {
        ...runOptionsFrom(inv.options),
        // The job's own output, live: on stdout as `docker run` shows it, or on stderr when stdout carries --json.
        onOutput: (stream, chunk) => void (json || stream === 'stderr' ? process.stderr : process.stdout).write(chunk),
        signal
    }, logger);
}
/** The exit status of `run`: the job's own, 124 when it was stopped at a limit. */
function runExitCode(result) {
    if (result.stopped === 'timeout' || result.stopped === 'output-limit')
        return 124;
    return result.exitCode;
}
function verifyJson(r) {
    return {
        job_id: r.jobId,
        source: r.source,
        source_kind: r.sourceKind,
        archive_sha256: r.archiveSha256 ?? null,
        archive_sha256_checked: r.archiveSha256Checked,
        content_digest: r.contentDigest,
        files: r.files,
        statement: r.statement ?? null
    };
}
function describeVerify(r) {
    const lines = [
        `verified        ${r.source}`,
        `job_id          ${r.jobId}`,
        `content digest  ${r.contentDigest} (${r.files} files and symlinks, all match)`,
        r.archiveSha256 === undefined
            ? undefined
            : `archive sha256  ${r.archiveSha256}${r.archiveSha256Checked ? ' (matches --sha256)' : ' (not checked: no --sha256 given)'}`,
        r.statement === undefined ? undefined : `provenance      ${r.statement} (names this package)`
    ];
    return `${lines.filter((l) => l !== undefined).join('\n')}\n`;
}
function runJson(r) {
    return {
        job_id: r.jobId,
        exit_code: r.exitCode,
        timed_out: r.timedOut,
        stopped: r.stopped ?? null,
        engine: r.engine,
        image_id: r.imageId ?? null,
        image_tag: r.imageTag ?? null,
        user: r.user,
        content_digest: r.contentDigest,
        timings_ms: r.timings,
        result_dir: r.resultDir,
        result_archive: r.resultArchive,
        result_sha256: r.resultSha256,
        output: r.output,
        truncated: r.truncated,
        warnings: r.warnings
    };
}
function describeRun(r) {
    const status = r.stopped === 'timeout'
        ? `stopped at the time limit (status ${r.exitCode})`
        : r.stopped === 'output-limit'
            ? `stopped: it wrote more than the output limit (status ${r.exitCode})`
            : r.stopped === 'signal'
                ? `stopped by a signal (status ${r.exitCode})`
                : String(r.exitCode);
    const cut = Object.entries(r.truncated)
        .filter(([, v]) => v)
        .map(([k]) => k);
    const lines = [
        '',
        `job_id          ${r.jobId}`,
        `exit code       ${status}`,
        `engine          ${r.engine.name} ${r.engine.version}${r.imageId ? `, image ${r.imageTag ?? ''} ${r.imageId.slice(0, 19)}` : ''}`,
        `timings         verify ${secs(r.timings.verifyMs)}, build ${secs(r.timings.buildMs)}, run ${secs(r.timings.runMs)}`,
        `output          ${r.output.files} files, ${formatBytes(r.output.bytes)}${cut.length ? ` (cut: ${cut.join(', ')}; see result.json)` : ''}`,
        `results         ${r.resultDir}`,
        `result archive  ${r.resultArchive} (sha256 ${r.resultSha256})`,
        ...r.warnings.map((w) => `warning         ${w}`)
    ];
    return `${lines.join('\n')}\n`;
}
function secs(ms) {
    return `${(ms / 1000).toFixed(1)} s`;
}

;// CONCATENATED MODULE: ./src/cli/main.ts
/**
 * The CLI shell over the packager: arguments (registry-driven, args.ts) and an
 * optional spec file become a spec and PackOptions; packJob runs; the result
 * is printed. Errors are caught here, once: exit 2 for invalid input, 1 for
 * any other failure, 130/143 when interrupted by SIGINT/SIGTERM (after
 * cleaning up). With --json, stdout carries the result or the error as JSON.
 */










const SPEC_FIELD_KEYS = new Set(SPEC_FIELDS);
async function run(argv) {
    // Until we finish on purpose the exit code says "failed": if a stream never
    // settles and Node runs out of work, it must not exit 0 with nothing done.
    process.exitCode = 1;
    const args = parseCliArgs(argv);
    const json = args.given.get('json')?.at(-1)?.text === 'true';
    if (argv.length === 0) {
        // Nothing asked for: show how to ask, on stderr, and say it was not a success.
        process.stderr.write(renderHelp());
        process.exitCode = 2;
        return;
    }
    if (args.help || args.command === 'help') {
        const about = args.command === 'help' ? args.operands[0] : args.command;
        process.stdout.write(renderHelp(COMMANDS.find((c) => c === about)));
        process.exitCode = 0;
        return;
    }
    if (args.version) {
        process.stdout.write(`${PACKAGER_VERSION}\n`);
        process.exitCode = 0;
        return;
    }
    const controller = new AbortController();
    const packageCommand = args.command === 'verify' || args.command === 'run' ? args.command : undefined;
    let interruptedBy;
    let logger;
    const stopHandling = handleInterrupts({
        onInterrupt(sig) {
            interruptedBy = sig;
            if (packageCommand) {
                logger?.warn(`${sig} received: stopping the ${packageCommand === 'run' ? 'job' : 'check'}…`);
                controller.abort(new InterruptedError(`Interrupted by ${sig}.`));
                return;
            }
            logger?.warn(`${sig} received: stopping and removing partial output…`);
            controller.abort(new InterruptedError(`Interrupted by ${sig}; no job folder or archive was left behind.`));
        },
        onForcedExit(sig, why) {
            process.stderr.write(why === 'again'
                ? `error: ${sig} received again; exiting without finishing the clean-up.\n`
                : `error: the clean-up after ${sig} did not finish within ${INTERRUPT_GRACE_MS / 1000} s (something is still blocked); exiting now. A partial output folder left behind is removed by the next run.\n`);
        }
    });
    try {
        if (packageCommand) {
            const inv = readPackageInvocation(args, packageCommand);
            logger = createCliLogger({
                quiet: args.given.get('quiet')?.at(-1)?.text === 'true',
                verbose: args.given.get('verbose')?.at(-1)?.text === 'true',
                progress: 'off'
            });
            if (packageCommand === 'verify') {
                const result = await verifyCommand(inv, logger, controller.signal);
                process.stdout.write(json ? `${JSON.stringify(verifyJson(result), null, 2)}\n` : describeVerify(result));
                process.exitCode = 0;
                return;
            }
            const result = await runCommand(inv, logger, controller.signal, json);
            process.stdout.write(json ? `${JSON.stringify(runJson(result), null, 2)}\n` : describeRun(result));
            process.exitCode = interruptedBy ? (interruptedBy === 'SIGINT' ? 130 : 143) : runExitCode(result);
            return;
        }
        const { spec, options, shell } = await readInvocation(args);
        logger = createCliLogger({
            quiet: shell.quiet ?? false,
            verbose: shell.verbose ?? false,
            progress: shell.progress ?? SHELL_OPTIONS.progress.default
        });
        const datasetCache = shell.cacheDir ? new DirectoryDatasetCache(shell.cacheDir) : undefined;
        const startedOn = new Date();
        const result = await packJob(spec, { ...options, datasetCache, logger, signal: controller.signal });
        const provenance = (shell.provenance ?? SHELL_OPTIONS.provenance.default)
            ? await writeProvenance(result.archivePath, buildProvenance({ archiveName: external_node_path_default().basename(result.archivePath), archiveSha256: result.archiveSha256, manifest: result.manifest }, { builderId: packagerBuilderId(), startedOn, finishedOn: new Date() }))
            : undefined;
        process.stdout.write(json ? `${JSON.stringify(resultJson(result, provenance), null, 2)}\n` : describeResult(result, provenance));
        process.exitCode = 0;
    }
    catch (err) {
        const code = interruptedBy ? (interruptedBy === 'SIGINT' ? 130 : 143) : err instanceof SpecError ? 2 : 1;
        fail(code, err, json);
    }
    finally {
        stopHandling();
    }
}
function fail(code, err, json) {
    const message = err instanceof JobPackagerError
        ? err.message
        : // Not one of ours: a bug or an unexpected system error. Say so, with the detail.
            `Unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
    const hint = err instanceof SpecError ? `\nRun '${PACKAGER_NAME} --help' for usage.` : '';
    process.stderr.write(`error: ${message}${hint}\n`);
    if (json)
        process.stdout.write(`${JSON.stringify(errorJson(err, message, code), null, 2)}\n`);
    process.exitCode = code;
}
/**
 * Everything the user asked for, checked all at once: the command word, the
 * flags, the --spec file and the spec itself. Throws one SpecError listing
 * every problem, each named as the user wrote it.
 */
async function readInvocation(args) {
    const problems = new ProblemCollector();
    for (const p of args.problems)
        problems.add(p);
    if (args.command === undefined || !COMMANDS.includes(args.command)) {
        problems.add({
            field: `${PACKAGER_NAME} COMMAND`,
            problem: args.command === undefined ? 'missing' : `${JSON.stringify(args.command)} is not a command`,
            accepted: COMMANDS.join(', ')
        });
    }
    if (args.operands.length > 0) {
        problems.add({
            field: `${PACKAGER_NAME} ${args.command ?? ''}`.trim(),
            problem: `unexpected argument ${JSON.stringify(args.operands[0])}`,
            accepted: 'options only (see --help)'
        });
    }
    const core = {};
    const shell = {};
    const flagFields = {};
    for (const [key, list] of args.given) {
        const def = optionDef(key);
        const last = list.at(-1);
        if (!def || !last)
            continue;
        if (SPEC_FIELD_KEYS.has(key)) {
            flagFields[key] = isCliFlag(def.cli) && def.cli.repeatable ? list.map((v) => v.text) : last.text;
            continue;
        }
        try {
            const value = def.kind.parse(last.text);
            // The kind parsed it, so the value has the type the registry declares for the key.
            if (key in SHELL_OPTIONS)
                Object.assign(shell, { [key]: value });
            else
                core[key] = value;
        }
        catch (err) {
            if (!(err instanceof KindProblem))
                throw err;
            problems.add({ field: last.as, problem: def.secret ? 'is not valid' : err.problem, accepted: err.accepted });
        }
    }
    const fromFile = await readSpecFile(shell.spec, problems);
    // Flags override the fields of --spec, and the options a spec may set.
    const spec = { ...fromFile, ...flagFields };
    const options = { ...core, names: cliNamer };
    const relabel = specLabels(args, shell.spec);
    // An unreadable --spec is already a problem; checking the rest without it would only add noise.
    if (shell.spec === undefined || fromFile !== undefined) {
        try {
            validateJob(spec, options);
        }
        catch (err) {
            if (!(err instanceof SpecError))
                throw err;
            for (const p of err.relabel(relabel).problems)
                problems.add(p);
        }
    }
    problems.throwIfAny();
    return { spec, options, shell };
}
async function readSpecFile(file, problems) {
    if (file === undefined)
        return undefined;
    let text;
    try {
        text = file === '-' ? await readStdin() : await (0,promises_namespaceObject.readFile)(file, 'utf8');
    }
    catch (err) {
        problems.add({
            field: '--spec',
            problem: `cannot read ${JSON.stringify(file)} (${err.code ?? err.message})`,
            accepted: 'a readable JSON file, or - for standard input'
        });
        return undefined;
    }
    let value;
    try {
        value = JSON.parse(text);
    }
    catch (err) {
        problems.add({ field: '--spec', problem: `is not valid JSON (${err.message})`, accepted: 'a JSON object with the job spec' });
        return undefined;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        problems.add({ field: '--spec', problem: 'is not a JSON object', accepted: 'a JSON object with the job spec' });
        return undefined;
    }
    return value;
}
/**
 * The core names spec fields as the spec does (`git_url`, `data_url[1]`); the
 * CLI's user wrote either a flag or a field of the --spec file. Options the
 * core names through cliNamer are already flags.
 */
function specLabels(args, specFile) {
    const optionFields = specOptionFields();
    return (field) => {
        if (field === 'spec')
            return specFile === undefined ? 'the spec' : `--spec ${specFile}`;
        const path = splitFieldPath(field);
        if (!path)
            return field;
        const { name, index } = path;
        const key = SPEC_FIELD_KEYS.has(name) ? name : optionFields.get(name);
        const def = key && optionDef(key);
        if (!key || !def || !isCliFlag(def.cli))
            return field;
        const given = args.given.get(key);
        if (given?.length) {
            const as = given[index ?? given.length - 1]?.as ?? `--${def.cli.flag}`;
            return index === undefined || given.length < 2 ? as : `${as} (#${index + 1})`;
        }
        if (specFile !== undefined)
            return `${field} in --spec ${specFile}`;
        return `--${def.cli.flag}`;
    };
}
async function readStdin() {
    const chunks = [];
    for await (const chunk of process.stdin)
        chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
}


/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(486);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
