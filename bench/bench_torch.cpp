// libtorch contender of bench_nnmath (built only when CMake finds Torch; see bench/CMakeLists.txt).
// A C-linkage shim so that the C harness times libtorch in the same run, on the same buffers
// (at::from_blob: no copies), single-threaded (at::set_num_threads(1)). The ops are what a
// PyTorch user calls: sigmoid, tanh, softmax, log_softmax, cross_entropy (labels, mean),
// binary_cross_entropy_with_logits (mean), mse_loss (mean; PyTorch's mean is over elements, ours
// over samples: with k = 1 the same work) and the softmax backward kernel.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <cstddef>
#include <cstdint>

namespace {
struct plan {
    int op = -1;
    at::Tensor x, y, t, dy, p, labels;
    std::size_t n = 0, k = 1;
} g;
}  // namespace

extern "C" int nnm_bench_torch_prepare(int op, int f64, std::size_t n, std::size_t k, void *x,
                                       void *y, void *t, void *dy, void *p, std::int32_t *labels)
{
    at::set_num_threads(1);
    auto dt = f64 ? at::kDouble : at::kFloat;
    auto o = at::TensorOptions().dtype(dt);
    std::int64_t rows = static_cast<std::int64_t>(n), cols = static_cast<std::int64_t>(k);
    g = plan{};
    g.op = op;
    g.n = n, g.k = k;
    g.x = at::from_blob(x, {rows, cols}, o);
    g.y = at::from_blob(y, {rows, cols}, o);
    g.t = at::from_blob(t, {rows, cols}, o);
    g.dy = at::from_blob(dy, {rows, cols}, o);
    g.p = at::from_blob(p, {rows, cols}, o);
    // cross_entropy wants int64 class indices: converted once here, outside the timing
    g.labels = at::from_blob(labels, {rows}, at::TensorOptions().dtype(at::kInt)).to(at::kLong);
    return 1;
}

// op numbers: the harness's enum op (bench_nnmath.c).
extern "C" double nnm_bench_torch_run(void)
{
    switch (g.op) {
    case 0: at::sigmoid_out(g.y, g.x); break;
    case 1: at::tanh_out(g.y, g.x); break;
    case 2: at::_softmax_out(g.y, g.x, 1, false); break;
    case 3: at::_log_softmax_out(g.y, g.x, 1, false); break;
    case 4: return at::cross_entropy_loss(g.x, g.labels).item<double>();
    case 5: return at::binary_cross_entropy_with_logits(g.x, g.t).item<double>();
    case 6: return at::mse_loss(g.x, g.t).item<double>();
    case 7: at::_softmax_backward_data_out(g.y, g.dy, g.p, 1, g.x.scalar_type()); break;
    default: return 0.0;
    }
    return 0.0;
}
