package io.sundial.query.function;

import io.sundial.query.plan.Window;

/**
 * integral() with GROUP BY time, as InfluxDB's integral reducer computes it: one pass over the
 * group's points in time order; when a point falls past the current bucket, the value at the
 * bucket's end is interpolated linearly and the area up to that end closes the bucket, and the
 * next bucket starts from that interpolated point. Area across empty buckets therefore goes to
 * the next bucket that has a point. A repeated time replaces the previous point.
 */
public final class WindowedIntegral {
    private WindowedIntegral() {}

    /** (bucket start, area in value × unit) for every bucket that holds a point. */
    public static PointList compute(PointList points, Window window, double unitNanos) {
        PointList out = new PointList();
        boolean hasPrevious = false;
        long previousTime = 0;
        double previous = 0;
        long windowStart = 0;
        long windowEnd = 0;
        double sum = 0;
        for (int i = 0; i < points.size(); i++) {
            Object raw = points.value(i);
            if (!(raw instanceof Double) && !(raw instanceof Long)) {
                continue;
            }
            double value = Values.toDouble(raw);
            long time = points.time(i);
            if (!hasPrevious) {
                hasPrevious = true;
                previousTime = time;
                previous = value;
                windowStart = window.start(time);
                windowEnd = window.next(windowStart);
                continue;
            }
            if (time == previousTime) {
                previous = value;
                continue;
            }
            if (time >= windowEnd) {
                if (previousTime != windowEnd) {
                    double atEnd = previous + (value - previous) * ((double) (windowEnd - previousTime) / (time - previousTime));
                    sum += 0.5 * (atEnd + previous) * ((windowEnd - previousTime) / unitNanos);
                    previous = atEnd;
                    previousTime = windowEnd;
                }
                out.add(windowStart, sum);
                windowStart = window.start(time);
                windowEnd = window.next(windowStart);
                sum = 0;
            }
            sum += 0.5 * (value + previous) * ((time - previousTime) / unitNanos);
            previousTime = time;
            previous = value;
        }
        if (hasPrevious) {
            out.add(windowStart, sum);
        }
        return out;
    }
}
