//! The configuration and random source at the start of a fuzz input, per target.

use arbitrary::{Result, Unstructured};
use heartbeat_ws::core::{
    Config, HeartbeatConfig, Overflow, QueueConfig, RandomSource, ReconnectConfig, SplitMix64,
    UrlSource, LATE_TIMER_MS, RETRY_FLOOR_MS,
};

/// Which configurations a target explores.
#[derive(Debug, Clone, Copy)]
pub enum Profile {
    /// Valid configurations in everyday ranges (so that pings, timeouts, retries and
    /// queue limits all come into play within a few steps), seeded jitter.
    Everyday,
    /// Every number at and between the edges of its type: zero and `u64::MAX` durations
    /// (zero even where the binding requires a positive number), factors up to
    /// `f64::MAX`, queue limits up to `usize::MAX`, random sources stuck at 0 or 1.
    Extreme,
}

impl Profile {
    pub(crate) fn setup(self, data: &mut Unstructured) -> Result<(Config, Box<dyn RandomSource>)> {
        match self {
            Profile::Everyday => everyday(data),
            Profile::Extreme => extreme(data),
        }
    }
}

fn url(data: &mut Unstructured) -> Result<UrlSource> {
    Ok(if data.arbitrary()? {
        UrlSource::Provider
    } else {
        UrlSource::Fixed("wss://fuzz.invalid/".into())
    })
}

fn overflow(data: &mut Unstructured) -> Result<Overflow> {
    data.choose(&[Overflow::DropOldest, Overflow::DropNewest, Overflow::Reject])
        .copied()
}

fn everyday(data: &mut Unstructured) -> Result<(Config, Box<dyn RandomSource>)> {
    let heartbeat = if data.arbitrary()? {
        Some(HeartbeatConfig {
            interval_ms: data.int_in_range(1..=5000)?,
            timeout_ms: data.int_in_range(1..=5000)?,
            sends_ping: data.arbitrary()?,
            any_message: data.arbitrary()?,
        })
    } else {
        None
    };
    let reconnect = if data.arbitrary()? {
        let delay_ms = data.int_in_range(0..=3000)?;
        Some(ReconnectConfig {
            delay_ms,
            max_delay_ms: delay_ms + data.int_in_range(0..=10_000)?,
            factor: 1.0 + f64::from(data.int_in_range(0..=255u8)?) / 128.0,
            jitter: f64::from(data.arbitrary::<u8>()?) / 255.0,
            max_retries: if data.arbitrary()? {
                Some(data.int_in_range(0..=8)?)
            } else {
                None
            },
            min_uptime_ms: data.int_in_range(0..=5000)?,
        })
    } else {
        None
    };
    let queue = if data.arbitrary()? {
        Some(QueueConfig {
            max_messages: data.int_in_range(0..=8)?,
            max_bytes: data.int_in_range(0..=2048)?,
            overflow: overflow(data)?,
        })
    } else {
        None
    };
    let config = Config {
        url: url(data)?,
        heartbeat,
        reconnect,
        connect_timeout_ms: data.int_in_range(1..=5000)?,
        queue,
    };
    Ok((config, Box::new(SplitMix64::new(data.arbitrary()?))))
}

fn extreme(data: &mut Unstructured) -> Result<(Config, Box<dyn RandomSource>)> {
    let heartbeat = if data.arbitrary()? {
        Some(HeartbeatConfig {
            interval_ms: millis(data)?,
            timeout_ms: millis(data)?,
            sends_ping: data.arbitrary()?,
            any_message: data.arbitrary()?,
        })
    } else {
        None
    };
    let reconnect = if data.arbitrary()? {
        let delay_ms = millis(data)?;
        let any_retries = data.arbitrary()?;
        Some(ReconnectConfig {
            delay_ms,
            // The binding refuses a cap below the delay.
            max_delay_ms: millis(data)?.max(delay_ms),
            factor: factor(data)?,
            jitter: unit(data)?,
            max_retries: *data.choose(&[
                None,
                Some(0),
                Some(1),
                Some(u32::MAX),
                Some(any_retries),
            ])?,
            min_uptime_ms: millis(data)?,
        })
    } else {
        None
    };
    let queue = if data.arbitrary()? {
        Some(QueueConfig {
            max_messages: count(data)?,
            max_bytes: count(data)?,
            overflow: overflow(data)?,
        })
    } else {
        None
    };
    let config = Config {
        url: url(data)?,
        heartbeat,
        reconnect,
        connect_timeout_ms: millis(data)?,
        queue,
    };
    let units = (0..data.int_in_range(1..=4)?)
        .map(|_| unit(data))
        .collect::<Result<Vec<_>>>()?;
    Ok((config, Box::new(Cycle { units, next: 0 })))
}

/// A duration: an edge, a threshold of the core, or anything.
fn millis(data: &mut Unstructured) -> Result<u64> {
    let any = data.arbitrary()?;
    data.choose(&[
        0,
        1,
        RETRY_FLOOR_MS,
        LATE_TIMER_MS,
        u64::MAX / 2,
        u64::MAX - 1,
        u64::MAX,
        any,
    ])
    .copied()
}

fn count(data: &mut Unstructured) -> Result<usize> {
    let any = data.arbitrary()?;
    data.choose(&[0, 1, usize::MAX - 1, usize::MAX, any])
        .copied()
}

/// A backoff factor: finite and at least 1, as the binding requires.
fn factor(data: &mut Unstructured) -> Result<f64> {
    let any = 1.0 + f64::from(data.arbitrary::<u32>()?) / 1000.0;
    data.choose(&[1.0, 1.0 + f64::EPSILON, 2.0, 1e6, 1e300, f64::MAX, any])
        .copied()
}

/// A number in `[0, 1]`: the edges, the numbers next to them, or anything between.
fn unit(data: &mut Unstructured) -> Result<f64> {
    let any = f64::from(data.arbitrary::<u32>()?) / f64::from(u32::MAX);
    data.choose(&[0.0, f64::MIN_POSITIVE, 1.0 - f64::EPSILON / 2.0, 1.0, any])
        .copied()
}

/// Yields the given numbers in turn, forever.
struct Cycle {
    units: Vec<f64>,
    next: usize,
}

impl RandomSource for Cycle {
    fn next_unit(&mut self) -> f64 {
        let unit = self.units[self.next % self.units.len()];
        self.next += 1;
        unit
    }
}
