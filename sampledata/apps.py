from django.apps import AppConfig


class SampledataConfig(AppConfig):
    """The demo township, the synthetic county and the benchmark: data made for people to try
    kaohe and for `make bench` to measure it. It sits above every other app (docs/layers.md),
    since it fills all of them; no product code imports it."""

    name = "sampledata"
    verbose_name = "示例数据"
