//! Seeded draws: numbers fixed by a seed, a job and a purpose, so simulated failures and backoff
//! jitter come out the same on every run with that seed.

/// A number in [0, 1) fixed by `seed`, `job` and `salt` (SplitMix64). Salt 0 is a job's first
/// failure draw; other salts give independent draws (a later attempt, a jitter).
pub fn unit_draw(seed: u32, job: u32, salt: u32) -> f64 {
    let mixed = u64::from(seed) << 32 | u64::from(job);
    let mut z = mixed.wrapping_add(0x9E37_79B9_7F4A_7C15u64.wrapping_mul(u64::from(salt) + 1));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}
