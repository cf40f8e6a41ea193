//! Phone photos for the pictures benchmark (BENCHMARKS.md, issue 30): N distinct
//! JPEGs (q90) of W×H, smooth gradients with noise, each its own seed and tint,
//! so no two hash alike. `cargo run --release --bin photos -- N W H OUT_DIR`.
use picture_codecs::photo;
use rayon::prelude::*;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: u32 = args[1].parse().unwrap();
    let (w, h): (u32, u32) = (args[2].parse().unwrap(), args[3].parse().unwrap());
    let dir = std::path::PathBuf::from(&args[4]);
    std::fs::create_dir_all(&dir).unwrap();
    (0..n).into_par_iter().for_each(|i| {
        std::fs::write(dir.join(format!("photo-{i:03}.jpg")), photo(w, h, i + 1)).unwrap();
    });
}
