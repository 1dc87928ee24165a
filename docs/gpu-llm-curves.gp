# gpu-llm-curves.gp: docs/model.md's plot of tokens/s, GPU_UTIL and SM_ACTIVE against the
# running batch for each LLM preset. Data: build/llm_curves > docs/gpu-llm-curves.csv
#   gnuplot docs/gpu-llm-curves.gp   (run from the repository root; writes docs/gpu-llm-curves.png)
set terminal pngcairo size 1200,520 font ",10" noenhanced
set output "docs/gpu-llm-curves.png"
set datafile separator ","
set multiplot layout 1,2 title "One LLM pod, closed loop, 1024-token prompts, 256 output tokens (scalesim presets)"
presets = "qwen-7b-gptq-int8-v100 llama2-7b-fp16-a100-80gb llama2-7b-fp16-h100-80gb llama2-70b-fp16-a100-80gb-tp4"
set logscale x 2
set key top left
set grid
set xlabel "mean running batch (sequences)"
set ylabel "output tokens/s"
set title "throughput"
plot for [p in presets] "docs/gpu-llm-curves.csv" using (strcol(1) eq p ? $3 : 1/0):4 with linespoints title p
set ylabel "utilization"
set yrange [0:1.05]
set key bottom right
set title "GPU_UTIL / 100 (solid) and SM_ACTIVE (dashed)"
plot for [p in presets] "docs/gpu-llm-curves.csv" using (strcol(1) eq p ? $3 : 1/0):($5/100) with linespoints title p." GPU_UTIL", \
     for [p in presets] "docs/gpu-llm-curves.csv" using (strcol(1) eq p ? $3 : 1/0):6 with linespoints dashtype 2 title p." SM_ACTIVE"
unset multiplot
