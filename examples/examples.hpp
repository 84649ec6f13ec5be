#pragma once
// The specification's examples, one source file each; `sgmm demo` runs them all.

int example_attention_scores();
int example_quantized_batch();
int example_learnable_scale();
int example_multi_head_attention();
int example_scale_one();
