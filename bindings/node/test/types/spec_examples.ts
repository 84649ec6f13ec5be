// The specification's examples, verbatim, as TypeScript: `tsc --noEmit`
// checks that index.d.ts accepts every one of them. Each sits in its own
// block because several reuse the same names.
import torch from 'sgmm';

{
  // Attention scaling: Q @ K^T / sqrt(d)
  const batch_size = 32;
  const seq_len = 10;
  const head_dim = 64;
  const queries = torch.randn(batch_size, seq_len, head_dim); // Q
  const keys = torch.randn(batch_size, seq_len, head_dim); // K^T
  const scale = 1.0 / Math.sqrt(head_dim); // 1/√64 ≈ 0.125
  const attn_scores = torch.nn.functional.scaled_grouped_mm(queries, keys, scale);
  // attn_scores: [32, 10, 10] - attention scores scaled by 1/√64
  const shape: number[] = attn_scores.shape;
  void shape;
}

{
  // Batched matrix multiplication with quantization scale
  const input = torch.randn(16, 128, 256); // [batch, m, k]
  const weights = torch.randn(16, 256, 128); // [batch, k, n]
  const quant_scale = 0.1; // Quantization factor
  const output = torch.nn.functional.scaled_grouped_mm(input, weights, quant_scale);
  // output: [16, 128, 128] scaled by 0.1
  const shape: number[] = output.shape;
  void shape;
}

{
  // Batch processing with learnable scale
  const batch = torch.randn(8, 100, 50);
  const weights = torch.randn(8, 50, 30);
  const learnable_scale = torch.tensor(1.5, { requires_grad: true });
  const output = torch.nn.functional.scaled_grouped_mm(batch, weights, learnable_scale.item());
  // Scale is learnable through backprop
  const shape: number[] = output.shape;
  void shape;
}

{
  // Multi-head attention implementation
  const batch = 32, heads = 8, seq = 10, dim = 64;
  // Reshape [batch, seq, heads*dim] → [batch*heads, seq, dim] for faster matmul
  const Q = torch.randn(batch * heads, seq, dim);
  const K = torch.randn(batch * heads, seq, dim);
  const scale = 1.0 / Math.sqrt(dim);
  const attention = torch.nn.functional.scaled_grouped_mm(Q, K, scale);
  // attention: [batch*heads, seq, seq]
  const shape: number[] = attention.shape;
  void shape;
}

{
  // No scaling optimization: scale=1.0 is efficient
  const input = torch.randn(64, 256, 512);
  const weights = torch.randn(64, 512, 256);
  const result = torch.nn.functional.scaled_grouped_mm(input, weights, 1.0);
  // Equivalent to input @ weights, no-op scaling
  const shape: number[] = result.shape;
  void shape;
}
