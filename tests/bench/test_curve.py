"""The scaling curve's arithmetic (issue 22 #2): no database needed."""


def test_the_curve_compares_the_largest_scale_with_the_smallest():
    from bench.curve import curve

    runs = {
        10000: {"review_seconds_per_1000": 0.5, "roster_seconds_per_1000": 0.1, "export_seconds_per_1000": 0.2},
        300000: {"review_seconds_per_1000": 0.6, "roster_seconds_per_1000": 0.14, "export_seconds_per_1000": 0.2},
    }
    result = curve(runs)
    assert result["ratios"] == {"review_seconds_per_1000": 1.2, "roster_seconds_per_1000": 1.4, "export_seconds_per_1000": 1.0}
    assert result["met"] is False


def test_per_thousand_divides_by_the_cadres():
    from bench.run import per_thousand

    per = per_thousand({"cadres": 100000, "review_seconds": 20.0, "review_seconds_2_workers": 11.0, "roster_seconds": 5})
    assert per == {"review_seconds_per_1000": 0.2, "roster_seconds_per_1000": 0.05, "review_2_workers_ratio": 0.55}
