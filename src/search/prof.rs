pub static T: [std::sync::atomic::AtomicU64; 12] =
    [const { std::sync::atomic::AtomicU64::new(0) }; 12];
pub fn add(i: usize, since: std::time::Instant) {
    T[i].fetch_add(
        since.elapsed().as_micros() as u64,
        std::sync::atomic::Ordering::Relaxed,
    );
}
pub fn dump() {
    if std::env::var_os("HEARTH_TIMINGS").is_some() {
        let v: Vec<u64> = T
            .iter()
            .map(|t| t.load(std::sync::atomic::Ordering::Relaxed) / 1000)
            .collect();
        eprintln!("search ms: read {} words {} meta {} json {} gzip {} pack {} | merge {} chunks {} store {} keys {} records {}", v[0],v[1],v[2],v[3],v[4],v[5],v[6],v[7],v[8],v[9],v[10]);
    }
}
