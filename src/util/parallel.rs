//! Runs independent jobs (loading files, rule passes) on the machine's cores, with results
//! in input order so that output never depends on scheduling. Small projects stay on one
//! thread: starting threads costs more than checking a handful of files.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Below this many jobs, everything runs on the calling thread.
pub(crate) const MIN_JOBS: usize = 32;

/// How many threads to use for `jobs` jobs.
pub(crate) fn threads_for(jobs: usize) -> usize {
    if jobs < MIN_JOBS {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get()).min(jobs)
}

/// `(0..jobs).map(f).collect()`, spread over `threads` threads (the caller's included).
/// Jobs are taken one at a time from a shared counter, so a slow job (a service with a
/// large source tree) does not hold up a whole share. A panic in a job is raised again on
/// the caller.
pub(crate) fn map<R: Send>(jobs: usize, threads: usize, f: impl Fn(usize) -> R + Sync) -> Vec<R> {
    if threads <= 1 || jobs <= 1 {
        return (0..jobs).map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= jobs {
                return done;
            }
            done.push((i, f(i)));
        }
    };
    let mut results: Vec<Option<R>> = (0..jobs).map(|_| None).collect();
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for helper in helpers {
            match helper.join() {
                Ok(done) => all.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        for (i, result) in all {
            results[i] = Some(result);
        }
    });
    results
        .into_iter()
        .map(|r| r.expect("every job ran exactly once"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_input_order() {
        for threads in [1, 2, 4] {
            let out = map(100, threads, |i| i * 2);
            assert_eq!(out, (0..100).map(|i| i * 2).collect::<Vec<_>>());
        }
        assert!(map(0, 2, |i| i).is_empty());
    }

    #[test]
    #[should_panic(expected = "job 5")]
    fn a_panic_reaches_the_caller() {
        map(10, 2, |i| assert!(i != 5, "job 5"));
    }

    #[test]
    fn small_inputs_stay_on_one_thread() {
        assert_eq!(threads_for(MIN_JOBS - 1), 1);
        assert!(threads_for(1000) >= 1);
    }
}
