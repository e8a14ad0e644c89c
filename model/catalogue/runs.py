"""Text of long runs: progress, workers, samplers, streamed files."""

TEXT: dict[str, dict[str, str]] = {
    "run_scheduler_unreachable": {
        "zh": "{seconds} 秒内未能连上 Dask 调度器；应为正在运行的调度器地址，例如 tcp://主机:8786",
        "en": "could not reach a Dask scheduler there within {seconds} s; expected the address "
        "of a running scheduler, such as tcp://host:8786",
    },
    "run_cluster_failed": {
        "zh": "无法在本机启动 {workers} 个计算进程（{reason}）；请减少 --workers 或不用它",
        "en": "could not start {workers} worker processes on this machine ({reason}); use "
        "fewer --workers or leave it out",
    },
    "run_stream_hint": {
        "zh": "；或把各次抽样逐块写入文件：--out 文件.nc（加 --workers N 可用多个进程）",
        "en": "; or stream the draws to a file: --out FILE.nc (add --workers N to use more "
        "processes)",
    },
    "run_draws_seed": {
        "zh": "（{draws} 次模拟，随机种子 {seed}）",
        "en": "({draws} draws, seed {seed})",
    },
}
