// parmine's GPU miner: one source for wgpu (natively) and WebGPU (the page).
//
// The host computes, once per search, the hash state after every whole
// 64-byte block before the nonce (the midstate), and uploads the rest of the
// template: the head (prefix bytes after those blocks), the suffix, how the
// nonce is written, and the one-word prefilter of the target (see
// src/target.rs). Each dispatch covers a window of nonces; each invocation
// tries `per_invocation` consecutive nonces of it. A candidate whose digest
// word passes the prefilter is recorded as its offset in the window:
// `atomicMin`, so the window's lowest passing nonce wins, as the CPU's
// deterministic strategies find it. The host re-checks that candidate against
// the whole target on the CPU (the prefilter is exact up to 32 bits of
// difficulty) and goes on past it if it falls short.
//
// Layout of `params` (u32 words; src/gpu/plan.rs writes it):
const P_ALGORITHM: u32 = 0u;      // 0 SHA-256, 1 double SHA-256, 2 BLAKE3
const P_NONCE_FORMAT: u32 = 1u;   // 0 decimal ASCII, 1 u64 big-endian, 2 u64 little-endian, 3 u32 little-endian
const P_MODE: u32 = 2u;           // 0 lowest of the window, 1 any (invocations stop once one is found)
const P_HEAD_LEN: u32 = 3u;       // head bytes (< 64)
const P_SUFFIX_LEN: u32 = 4u;     // suffix bytes
const P_PREFIX_BLOCKS: u32 = 5u;  // 64-byte blocks folded into the midstate
const P_BASE_LO: u32 = 6u;        // first nonce of the window, low word
const P_BASE_HI: u32 = 7u;        //   and high word
const P_COUNT: u32 = 8u;          // nonces in the window
const P_PER_INVOCATION: u32 = 9u; // nonces each invocation tries
const P_FILTER_WORD: u32 = 10u;   // digest word the prefilter reads (bytes 4w..4w+4, big-endian)
const P_FILTER_SWAP: u32 = 11u;   // 1: byte-swap it first
const P_FILTER_MIN: u32 = 12u;
const P_FILTER_MAX: u32 = 13u;
const P_ROW: u32 = 14u;           // invocations per row of the dispatch grid
const P_MIDSTATE: u32 = 16u;      // 8 words

// The size of a workgroup, chosen by the host's calibration.
override WORKGROUP: u32 = 64u;

const NONE: u32 = 0xffffffffu;

@group(0) @binding(0) var<storage, read> params: array<u32>;
// The head's bytes then the suffix's, one byte a word.
@group(0) @binding(1) var<storage, read> bytes: array<u32>;
// [0]: offset of the lowest passing candidate in the window (NONE if none);
// [1]: candidates that passed.
@group(0) @binding(2) var<storage, read_write> found: array<atomic<u32>, 2>;

// The candidate being hashed: its nonce's bytes and the tail's layout.
struct Candidate {
    nonce: array<u32, 20>,
    nonce_len: u32,
    head_len: u32,
    tail_len: u32,   // head + nonce + suffix
}

fn rotr(x: u32, n: u32) -> u32 {
    return (x >> n) | (x << (32u - n));
}

// (hi:lo) / 10 and the remainder, with 32-bit arithmetic only.
fn div10(hi: u32, lo: u32) -> vec3<u32> {
    let q_hi = hi / 10u;
    let r0 = hi % 10u;
    let t1 = (r0 << 16u) | (lo >> 16u);
    let q1 = t1 / 10u;
    let r1 = t1 % 10u;
    let t2 = (r1 << 16u) | (lo & 0xffffu);
    let q2 = t2 / 10u;
    return vec3<u32>(q_hi, (q1 << 16u) | q2, t2 % 10u);
}

fn candidate(lo: u32, hi: u32) -> Candidate {
    var c: Candidate;
    c.head_len = params[P_HEAD_LEN];
    let format = params[P_NONCE_FORMAT];
    if (format == 0u) {
        // Decimal: digits into the end of a 20-byte buffer, then moved down.
        var digits: array<u32, 20>;
        var n = 0u;
        var h = hi;
        var l = lo;
        loop {
            let d = div10(h, l);
            digits[19u - n] = 48u + d.z;
            n = n + 1u;
            h = d.x;
            l = d.y;
            if (h == 0u && l == 0u) { break; }
        }
        for (var i = 0u; i < n; i = i + 1u) {
            c.nonce[i] = digits[20u - n + i];
        }
        c.nonce_len = n;
    } else if (format == 1u) {
        for (var i = 0u; i < 4u; i = i + 1u) {
            c.nonce[i] = (hi >> (24u - 8u * i)) & 0xffu;
            c.nonce[4u + i] = (lo >> (24u - 8u * i)) & 0xffu;
        }
        c.nonce_len = 8u;
    } else if (format == 2u) {
        for (var i = 0u; i < 4u; i = i + 1u) {
            c.nonce[i] = (lo >> (8u * i)) & 0xffu;
            c.nonce[4u + i] = (hi >> (8u * i)) & 0xffu;
        }
        c.nonce_len = 8u;
    } else {
        for (var i = 0u; i < 4u; i = i + 1u) {
            c.nonce[i] = (lo >> (8u * i)) & 0xffu;
        }
        c.nonce_len = 4u;
    }
    c.tail_len = c.head_len + c.nonce_len + params[P_SUFFIX_LEN];
    return c;
}

// Byte `i` of the tail (head ‖ nonce ‖ suffix); 0 past its end.
fn tail_byte(c: ptr<function, Candidate>, i: u32) -> u32 {
    let head = (*c).head_len;
    if (i < head) { return bytes[i]; }
    let n = (*c).nonce_len;
    if (i < head + n) { return (*c).nonce[i - head]; }
    if (i < (*c).tail_len) { return bytes[i - n]; }
    return 0u;
}

// ---- SHA-256 (FIPS 180-4) ----

const K = array<u32, 64>(
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
);

const SHA256_IV = array<u32, 8>(
    0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au, 0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
);

fn sha256_compress(state: array<u32, 8>, block: array<u32, 16>) -> array<u32, 8> {
    var w: array<u32, 64>;
    for (var t = 0u; t < 16u; t = t + 1u) { w[t] = block[t]; }
    for (var t = 16u; t < 64u; t = t + 1u) {
        let s0 = rotr(w[t - 15u], 7u) ^ rotr(w[t - 15u], 18u) ^ (w[t - 15u] >> 3u);
        let s1 = rotr(w[t - 2u], 17u) ^ rotr(w[t - 2u], 19u) ^ (w[t - 2u] >> 10u);
        w[t] = w[t - 16u] + s0 + w[t - 7u] + s1;
    }
    var a = state[0]; var b = state[1]; var c = state[2]; var d = state[3];
    var e = state[4]; var f = state[5]; var g = state[6]; var h = state[7];
    for (var t = 0u; t < 64u; t = t + 1u) {
        let t1 = h + (rotr(e, 6u) ^ rotr(e, 11u) ^ rotr(e, 25u)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
        let t2 = (rotr(a, 2u) ^ rotr(a, 13u) ^ rotr(a, 22u)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g; g = f; f = e; e = d + t1;
        d = c; c = b; b = a; a = t1 + t2;
    }
    return array<u32, 8>(
        state[0] + a, state[1] + b, state[2] + c, state[3] + d,
        state[4] + e, state[5] + f, state[6] + g, state[7] + h,
    );
}

// Byte `i` of the padded tail: the tail, 0x80, zeros, the message's length
// in bits (big-endian) in the last 8 bytes of the last block.
fn sha256_byte(c: ptr<function, Candidate>, i: u32, blocks: u32, bits: u32) -> u32 {
    let len = (*c).tail_len;
    if (i < len) { return tail_byte(c, i); }
    if (i == len) { return 0x80u; }
    let end = blocks * 64u;
    if (i >= end - 4u) { return (bits >> (8u * (end - 1u - i))) & 0xffu; }
    return 0u;
}

fn sha256_tail(c: ptr<function, Candidate>) -> array<u32, 8> {
    var state: array<u32, 8>;
    for (var i = 0u; i < 8u; i = i + 1u) { state[i] = params[P_MIDSTATE + i]; }
    let len = (*c).tail_len;
    let blocks = (len + 9u + 63u) / 64u;
    let bits = (params[P_PREFIX_BLOCKS] * 64u + len) * 8u;
    for (var b = 0u; b < blocks; b = b + 1u) {
        var block: array<u32, 16>;
        for (var j = 0u; j < 16u; j = j + 1u) {
            let i = b * 64u + 4u * j;
            block[j] = (sha256_byte(c, i, blocks, bits) << 24u) | (sha256_byte(c, i + 1u, blocks, bits) << 16u)
                | (sha256_byte(c, i + 2u, blocks, bits) << 8u) | sha256_byte(c, i + 3u, blocks, bits);
        }
        state = sha256_compress(state, block);
    }
    return state;
}

// SHA-256 of a 32-byte digest: one padded block.
fn sha256_of_digest(digest: array<u32, 8>) -> array<u32, 8> {
    var block: array<u32, 16>;
    for (var i = 0u; i < 8u; i = i + 1u) { block[i] = digest[i]; }
    block[8] = 0x80000000u;
    block[15] = 256u;
    return sha256_compress(SHA256_IV, block);
}

// ---- BLAKE3 (one chunk: messages up to 1024 bytes) ----

const BLAKE3_IV = array<u32, 8>(
    0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au, 0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
);
const CHUNK_START: u32 = 1u;
const CHUNK_END: u32 = 2u;
const ROOT: u32 = 8u;
const PERMUTATION = array<u32, 16>(2u, 6u, 3u, 10u, 7u, 0u, 4u, 13u, 1u, 11u, 12u, 5u, 9u, 14u, 15u, 8u);

fn g(v: ptr<function, array<u32, 16>>, a: u32, b: u32, c: u32, d: u32, x: u32, y: u32) {
    (*v)[a] = (*v)[a] + (*v)[b] + x;
    (*v)[d] = rotr((*v)[d] ^ (*v)[a], 16u);
    (*v)[c] = (*v)[c] + (*v)[d];
    (*v)[b] = rotr((*v)[b] ^ (*v)[c], 12u);
    (*v)[a] = (*v)[a] + (*v)[b] + y;
    (*v)[d] = rotr((*v)[d] ^ (*v)[a], 8u);
    (*v)[c] = (*v)[c] + (*v)[d];
    (*v)[b] = rotr((*v)[b] ^ (*v)[c], 7u);
}

fn blake3_compress(cv: array<u32, 8>, block: array<u32, 16>, block_len: u32, flags: u32) -> array<u32, 8> {
    var v = array<u32, 16>(
        cv[0], cv[1], cv[2], cv[3], cv[4], cv[5], cv[6], cv[7],
        BLAKE3_IV[0], BLAKE3_IV[1], BLAKE3_IV[2], BLAKE3_IV[3], 0u, 0u, block_len, flags,
    );
    var m = block;
    for (var r = 0u; r < 7u; r = r + 1u) {
        g(&v, 0u, 4u, 8u, 12u, m[0], m[1]);
        g(&v, 1u, 5u, 9u, 13u, m[2], m[3]);
        g(&v, 2u, 6u, 10u, 14u, m[4], m[5]);
        g(&v, 3u, 7u, 11u, 15u, m[6], m[7]);
        g(&v, 0u, 5u, 10u, 15u, m[8], m[9]);
        g(&v, 1u, 6u, 11u, 12u, m[10], m[11]);
        g(&v, 2u, 7u, 8u, 13u, m[12], m[13]);
        g(&v, 3u, 4u, 9u, 14u, m[14], m[15]);
        var permuted: array<u32, 16>;
        for (var i = 0u; i < 16u; i = i + 1u) { permuted[i] = m[PERMUTATION[i]]; }
        m = permuted;
    }
    var out: array<u32, 8>;
    for (var i = 0u; i < 8u; i = i + 1u) { out[i] = v[i] ^ v[i + 8u]; }
    return out;
}

fn blake3_tail(c: ptr<function, Candidate>) -> array<u32, 8> {
    var cv: array<u32, 8>;
    for (var i = 0u; i < 8u; i = i + 1u) { cv[i] = params[P_MIDSTATE + i]; }
    let len = (*c).tail_len;
    let blocks = (len + 63u) / 64u;
    for (var b = 0u; b < blocks; b = b + 1u) {
        var block: array<u32, 16>;
        for (var j = 0u; j < 16u; j = j + 1u) {
            let i = b * 64u + 4u * j;
            block[j] = tail_byte(c, i) | (tail_byte(c, i + 1u) << 8u) | (tail_byte(c, i + 2u) << 16u)
                | (tail_byte(c, i + 3u) << 24u);
        }
        var flags = 0u;
        if (b == 0u && params[P_PREFIX_BLOCKS] == 0u) { flags = flags | CHUNK_START; }
        var block_len = 64u;
        if (b + 1u == blocks) {
            flags = flags | CHUNK_END | ROOT;
            block_len = len - b * 64u;
        }
        cv = blake3_compress(cv, block, block_len, flags);
    }
    return cv;
}

// Digest word `w` as big-endian bytes 4w..4w+4 (BLAKE3's words are little-endian).
fn digest_word(lo: u32, hi: u32) -> u32 {
    var c = candidate(lo, hi);
    let algorithm = params[P_ALGORITHM];
    let w = params[P_FILTER_WORD];
    if (algorithm == 2u) {
        let word = blake3_tail(&c)[w];
        return ((word & 0xffu) << 24u) | ((word & 0xff00u) << 8u) | ((word >> 8u) & 0xff00u) | (word >> 24u);
    }
    var digest = sha256_tail(&c);
    if (algorithm == 1u) { digest = sha256_of_digest(digest); }
    return digest[w];
}

fn passes(word: u32) -> bool {
    var x = word;
    if (params[P_FILTER_SWAP] == 1u) {
        x = ((word & 0xffu) << 24u) | ((word & 0xff00u) << 8u) | ((word >> 8u) & 0xff00u) | (word >> 24u);
    }
    return params[P_FILTER_MIN] <= x && x <= params[P_FILTER_MAX];
}

@compute @workgroup_size(WORKGROUP)
fn mine(@builtin(global_invocation_id) id: vec3<u32>) {
    let invocation = id.x + id.y * params[P_ROW];
    let per = params[P_PER_INVOCATION];
    let count = params[P_COUNT];
    let any_answer = params[P_MODE] == 1u;
    let first = invocation * per;
    for (var k = 0u; k < per; k = k + 1u) {
        let offset = first + k;
        if (offset >= count) { return; }
        // Past the lowest found so far (or any, in any-answer mode): nothing to gain.
        let best = atomicLoad(&found[0]);
        if (best < offset || (any_answer && best != NONE)) { return; }
        let lo = params[P_BASE_LO] + offset;
        let hi = params[P_BASE_HI] + select(0u, 1u, lo < offset);
        if (passes(digest_word(lo, hi))) {
            atomicMin(&found[0], offset);
            atomicAdd(&found[1], 1u);
            return;
        }
    }
}

// Known-answer entry for the tests: digest of the candidate `base` (nonce
// offset 0 of the window) written whole, so the host compares it with the
// sha2 / blake3 crates.
@group(0) @binding(3) var<storage, read_write> digest_out: array<u32, 8>;

@compute @workgroup_size(1)
fn digest(@builtin(global_invocation_id) id: vec3<u32>) {
    var c = candidate(params[P_BASE_LO], params[P_BASE_HI]);
    let algorithm = params[P_ALGORITHM];
    var out: array<u32, 8>;
    if (algorithm == 2u) {
        let cv = blake3_tail(&c);
        for (var i = 0u; i < 8u; i = i + 1u) {
            let word = cv[i];
            out[i] = ((word & 0xffu) << 24u) | ((word & 0xff00u) << 8u) | ((word >> 8u) & 0xff00u) | (word >> 24u);
        }
    } else {
        out = sha256_tail(&c);
        if (algorithm == 1u) { out = sha256_of_digest(out); }
    }
    for (var i = 0u; i < 8u; i = i + 1u) { digest_out[i] = out[i]; }
}
