# `make bench` target, for the top-level Makefile to include (`include benchmarks/bench.mk`).
# Not part of `make test`. Pass options with BENCH_ARGS, e.g. `make bench BENCH_ARGS="--jobs J1,J3 --pairs 7"`.
.PHONY: bench
bench:
	python3 benchmarks/run $(BENCH_ARGS)
