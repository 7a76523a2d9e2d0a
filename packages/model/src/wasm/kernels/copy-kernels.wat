;; Memory-bound loops for our wasm kernels, run on tfjs' own wasm memory (imported, so they
;; read and write tensors in place): transposes, patch building, sums and the RMSProp step.
;; Plain JavaScript does such loops at about 2 ns per float; here they move 4 floats per SIMD
;; load/store. Compiled at load time by wabt (copy-kernels.ts), which fills in MEMORY_LIMITS
;; to match tfjs' memory: shared, which needs a maximum (4 GiB, wasm32's most), or not.
;; All addresses are byte offsets into that memory; counts are in floats.
(module
  (import "env" "memory" (memory MEMORY_LIMITS))

  ;; n floats from src to dst (the ranges do not overlap).
  (func $copy (param $dst i32) (param $src i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $n) (i32.const 2))))
    (block $done4
      (loop $next4
        (br_if $done4 (i32.gt_u (i32.add (local.get $dst) (i32.const 16)) (local.get $end)))
        (v128.store (local.get $dst) (v128.load (local.get $src)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br $next4)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst) (f32.load (local.get $src)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (br $next))))

  ;; n floats of 0 at dst.
  (func $zero (param $dst i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $n) (i32.const 2))))
    (block $done4
      (loop $next4
        (br_if $done4 (i32.gt_u (i32.add (local.get $dst) (i32.const 16)) (local.get $end)))
        (v128.store (local.get $dst) (v128.const i32x4 0 0 0 0))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $next4)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst) (f32.const 0))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (br $next))))

;; Zeros at columns [0, lo) and [hi, OW) of `rows` consecutive output rows from dst.
  (func $zeroEdges (param $dst i32) (param $rows i32) (param $OW i32) (param $lo i32) (param $hi i32)
    (local $r i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (call $zero (local.get $dst) (local.get $lo))
        (call $zero
          (i32.add (local.get $dst) (i32.shl (local.get $hi) (i32.const 2)))
          (i32.sub (local.get $OW) (local.get $hi)))
        (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $OW) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $next))))

  ;; im2colTap when stride is 1 and output rows are as wide as input rows ('same' padding):
  ;; then an image's valid output rows are one contiguous run of its input, shifted by
  ;; (ihBase, shift). One copy per image, then zeros over the out-of-image edge columns and
  ;; rows. The copy leaves out the run's first lo and last OW − hi floats, which are edges:
  ;; it never reads outside the image.
  (func $im2colTapRuns
    (param $src i32) (param $dst i32) (param $images i32) (param $H i32) (param $W i32)
    (param $OH i32) (param $ihBase i32) (param $shift i32) (param $lo i32) (param $hi i32)
    (local $image i32) (local $ohLo i32) (local $ohHi i32) (local $imageBytes i32)
    (local $outBytes i32) (local $runStart i32) (local $runFloats i32)
    (local.set $imageBytes (i32.shl (i32.mul (local.get $H) (local.get $W)) (i32.const 2)))
    (local.set $outBytes (i32.shl (i32.mul (local.get $OH) (local.get $W)) (i32.const 2)))
    ;; Output rows whose input row ih = oh + ihBase lies in [0, H).
    (local.set $ohLo (select (i32.sub (i32.const 0) (local.get $ihBase)) (i32.const 0)
      (i32.gt_s (i32.sub (i32.const 0) (local.get $ihBase)) (i32.const 0))))
    (local.set $ohHi (select (i32.sub (local.get $H) (local.get $ihBase)) (local.get $OH)
      (i32.lt_s (i32.sub (local.get $H) (local.get $ihBase)) (local.get $OH))))
    (if (i32.lt_s (local.get $ohHi) (local.get $ohLo)) (then (local.set $ohHi (local.get $ohLo))))
    (local.set $runFloats (i32.sub (i32.mul (i32.sub (local.get $ohHi) (local.get $ohLo)) (local.get $W))
      (i32.add (local.get $lo) (i32.sub (local.get $W) (local.get $hi)))))
    (block $imagesDone
      (loop $nextImage
        (br_if $imagesDone (i32.ge_u (local.get $image) (local.get $images)))
        (call $zero (local.get $dst) (i32.mul (local.get $ohLo) (local.get $W)))
        (if (i32.gt_s (local.get $runFloats) (i32.const 0))
          (then
            (local.set $runStart (i32.add (i32.mul (local.get $ohLo) (local.get $W)) (local.get $lo)))
            (call $copy
              (i32.add (local.get $dst) (i32.shl (local.get $runStart) (i32.const 2)))
              (i32.add (local.get $src)
                (i32.shl
                  (i32.add (i32.add (local.get $runStart) (i32.mul (local.get $ihBase) (local.get $W)))
                    (local.get $shift))
                  (i32.const 2)))
              (local.get $runFloats))
            (call $zeroEdges
              (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $ohLo) (local.get $W)) (i32.const 2)))
              (i32.sub (local.get $ohHi) (local.get $ohLo)) (local.get $W) (local.get $lo) (local.get $hi))))
        (call $zero
          (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $ohHi) (local.get $W)) (i32.const 2)))
          (i32.mul (i32.sub (local.get $OH) (local.get $ohHi)) (local.get $W)))
        (local.set $src (i32.add (local.get $src) (local.get $imageBytes)))
        (local.set $dst (i32.add (local.get $dst) (local.get $outBytes)))
        (local.set $image (i32.add (local.get $image) (i32.const 1)))
        (br $nextImage))))

  ;; One filter tap's rows of transposed im2col patches (see im2col.ts): for each channel c,
  ;; image b and output row oh, the OW floats x[c][b][oh·SH + ihBase][ow·SW + shift], zeros
  ;; outside the image; output columns [lo, hi) are the ones inside it. src holds the images
  ;; channel-major, [C][count][H][W]. Writes C · count · OH · OW floats from dst on.
  (func (export "im2colTap")
    (param $src i32) (param $dst i32) (param $C i32) (param $count i32)
    (param $H i32) (param $W i32) (param $OH i32) (param $OW i32)
    (param $SH i32) (param $SW i32) (param $ihBase i32) (param $shift i32)
    (param $lo i32) (param $hi i32)
    (local $image i32) (local $images i32) (local $oh i32) (local $ih i32)
    (local $row i32) (local $ow i32) (local $imageBytes i32)
    (local.set $imageBytes (i32.shl (i32.mul (local.get $H) (local.get $W)) (i32.const 2)))
    (local.set $images (i32.mul (local.get $C) (local.get $count)))
    (if (i32.and (i32.and (i32.eq (local.get $SH) (i32.const 1)) (i32.eq (local.get $SW) (i32.const 1)))
                 (i32.eq (local.get $OW) (local.get $W)))
      (then
        (call $im2colTapRuns (local.get $src) (local.get $dst) (local.get $images) (local.get $H)
          (local.get $W) (local.get $OH) (local.get $ihBase) (local.get $shift) (local.get $lo)
          (local.get $hi))
        (return)))
    (local.set $image (i32.const 0))
    (block $imagesDone
      (loop $nextImage
        (br_if $imagesDone (i32.ge_u (local.get $image) (local.get $images)))
        (local.set $oh (i32.const 0))
        (block $rowsDone
          (loop $nextRow
            (br_if $rowsDone (i32.ge_u (local.get $oh) (local.get $OH)))
            (local.set $ih (i32.add (i32.mul (local.get $oh) (local.get $SH)) (local.get $ihBase)))
            (if (i32.or (i32.lt_s (local.get $ih) (i32.const 0))
                        (i32.ge_s (local.get $ih) (local.get $H)))
              (then (call $zero (local.get $dst) (local.get $OW)))
              (else
                ;; Byte address of x[c][b][ih][shift]: column ow is at row + 4·ow·SW.
                (local.set $row
                  (i32.add (local.get $src)
                    (i32.shl
                      (i32.add (i32.mul (local.get $ih) (local.get $W)) (local.get $shift))
                      (i32.const 2))))
                (call $zero (local.get $dst) (local.get $lo))
                (if (i32.eq (local.get $SW) (i32.const 1))
                  (then
                    (call $copy
                      (i32.add (local.get $dst) (i32.shl (local.get $lo) (i32.const 2)))
                      (i32.add (local.get $row) (i32.shl (local.get $lo) (i32.const 2)))
                      (i32.sub (local.get $hi) (local.get $lo))))
                  (else
                    (local.set $ow (local.get $lo))
                    (block $colsDone
                      (loop $nextCol
                        (br_if $colsDone (i32.ge_s (local.get $ow) (local.get $hi)))
                        (f32.store
                          (i32.add (local.get $dst) (i32.shl (local.get $ow) (i32.const 2)))
                          (f32.load
                            (i32.add (local.get $row)
                              (i32.shl (i32.mul (local.get $ow) (local.get $SW)) (i32.const 2)))))
                        (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
                        (br $nextCol)))))
                (call $zero
                  (i32.add (local.get $dst) (i32.shl (local.get $hi) (i32.const 2)))
                  (i32.sub (local.get $OW) (local.get $hi)))))
            (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $OW) (i32.const 2))))
            (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
            (br $nextRow)))
        (local.set $src (i32.add (local.get $src) (local.get $imageBytes)))
        (local.set $image (i32.add (local.get $image) (i32.const 1)))
        (br $nextImage))))

  ;; One RMSProp step (tfjs' non-centered RMSPropOptimizer) over n floats, in its exact order
  ;; of float32 operations, so that the result is bit for bit what its 15 separate ops give:
  ;;   ms' = ms·decay + g²·(1 − decay);  m' = m·momentum + g·lr / √(ms' + ε);  v' = v − m'.
  ;; Reads v, ms, m, g and writes v', ms', m': each output distinct from the other inputs, or the
  ;; same buffer as its own input (in place: each float is read before it is written).
  ;;
  ;; Subnormal floats make x86 take a slow path in every multiply that meets them (~10× here):
  ;; a weight whose gradient stays tiny or zero has its ms decay through the subnormals (or
  ;; sit there, g² being subnormal), and an epoch got twice as slow. With $msFloor > 0, an ms'
  ;; below it is stored as 0, and with $gFloor > 0 a |g| below it adds nothing to ms'. Callers
  ;; pass msFloor = ε · 2^-26, under which ms' + ε rounds to ε exactly, and gFloor = 2^-60,
  ;; whose g² · (1 − decay) is far below half an ulp of any ms' ≥ msFloor: the weights and
  ;; moments stay bit for bit the stock ones, ms' differs only where it is too small to count.
  ;; 0 and 0: stock, every bit of ms' too.
  (func (export "rmspropStep")
    (param $v i32) (param $ms i32) (param $m i32) (param $g i32)
    (param $vOut i32) (param $msOut i32) (param $mOut i32) (param $n i32)
    (param $decay f32) (param $keep f32) (param $momentum f32) (param $lr f32) (param $eps f32)
    (param $msFloor f32) (param $gFloor f32)
    (local $i i32) (local $end4 i32) (local $at i32)
    (local $gv v128) (local $msv v128) (local $mv v128) (local $gq v128)
    (local $gs f32) (local $mss f32) (local $msf f32) (local $gqs f32)
    (local.set $end4 (i32.and (local.get $n) (i32.const -4)))
    (block $done4
      (loop $next4
        (br_if $done4 (i32.ge_u (local.get $i) (local.get $end4)))
        (local.set $at (i32.shl (local.get $i) (i32.const 2)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $at))))
        ;; g for the g² term: 0 where |g| < gFloor (NaN stays NaN).
        (local.set $gq
          (v128.andnot (local.get $gv)
            (f32x4.lt (f32x4.abs (local.get $gv)) (f32x4.splat (local.get $gFloor)))))
        (local.set $msv
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $ms) (local.get $at))) (f32x4.splat (local.get $decay)))
            (f32x4.mul (f32x4.mul (local.get $gq) (local.get $gq)) (f32x4.splat (local.get $keep)))))
        (local.set $msv
          (v128.andnot (local.get $msv)
            (f32x4.lt (local.get $msv) (f32x4.splat (local.get $msFloor)))))
        (local.set $mv
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $at))) (f32x4.splat (local.get $momentum)))
            (f32x4.div
              (f32x4.mul (local.get $gv) (f32x4.splat (local.get $lr)))
              (f32x4.sqrt (f32x4.add (local.get $msv) (f32x4.splat (local.get $eps)))))))
        (v128.store (i32.add (local.get $msOut) (local.get $at)) (local.get $msv))
        (v128.store (i32.add (local.get $mOut) (local.get $at)) (local.get $mv))
        (v128.store (i32.add (local.get $vOut) (local.get $at))
          (f32x4.sub (v128.load (i32.add (local.get $v) (local.get $at))) (local.get $mv)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next4)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $at (i32.shl (local.get $i) (i32.const 2)))
        (local.set $gs (f32.load (i32.add (local.get $g) (local.get $at))))
        (local.set $gqs
          (select (f32.const 0) (local.get $gs)
            (f32.lt (f32.abs (local.get $gs)) (local.get $gFloor))))
        (local.set $msf
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $ms) (local.get $at))) (local.get $decay))
            (f32.mul (f32.mul (local.get $gqs) (local.get $gqs)) (local.get $keep))))
        (local.set $msf
          (select (f32.const 0) (local.get $msf) (f32.lt (local.get $msf) (local.get $msFloor))))
        (local.set $mss
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $m) (local.get $at))) (local.get $momentum))
            (f32.div
              (f32.mul (local.get $gs) (local.get $lr))
              (f32.sqrt (f32.add (local.get $msf) (local.get $eps))))))
        (f32.store (i32.add (local.get $msOut) (local.get $at)) (local.get $msf))
        (f32.store (i32.add (local.get $mOut) (local.get $at)) (local.get $mss))
        (f32.store (i32.add (local.get $vOut) (local.get $at))
          (f32.sub (f32.load (i32.add (local.get $v) (local.get $at))) (local.get $mss)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; dst[c·rows + r] = src[r·cols + c] for a row-major [rows, cols] float matrix: 4×4 blocks
  ;; transposed in registers (two rounds of shuffles), 32×32 tiles so that both sides stay in
  ;; cache; the ragged last rows and columns one float at a time.
  (func (export "transpose2d") (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32)
    (local $r4 i32) (local $c4 i32) (local $rt i32) (local $ct i32) (local $rEnd i32) (local $cEnd i32)
    (local $r i32) (local $c i32) (local $s i32) (local $d i32) (local $rowBytes i32) (local $colBytes i32)
    (local $a v128) (local $b v128) (local $e v128) (local $f v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $r4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $c4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $colBytes (i32.shl (local.get $rows) (i32.const 2)))
    (local.set $rt (i32.const 0))
    (block $rtDone
      (loop $rtNext
        (br_if $rtDone (i32.ge_u (local.get $rt) (local.get $r4)))
        (local.set $rEnd (select (i32.add (local.get $rt) (i32.const 32)) (local.get $r4)
          (i32.lt_u (i32.add (local.get $rt) (i32.const 32)) (local.get $r4))))
        (local.set $ct (i32.const 0))
        (block $ctDone
          (loop $ctNext
            (br_if $ctDone (i32.ge_u (local.get $ct) (local.get $c4)))
            (local.set $cEnd (select (i32.add (local.get $ct) (i32.const 32)) (local.get $c4)
              (i32.lt_u (i32.add (local.get $ct) (i32.const 32)) (local.get $c4))))
            (local.set $r (local.get $rt))
            (block $rDone
              (loop $rNext
                (br_if $rDone (i32.ge_u (local.get $r) (local.get $rEnd)))
                (local.set $c (local.get $ct))
                (block $cDone
                  (loop $cNext
                    (br_if $cDone (i32.ge_u (local.get $c) (local.get $cEnd)))
                    (local.set $s (i32.add (local.get $src)
                      (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2))))
                    (local.set $a (v128.load (local.get $s)))
                    (local.set $b (v128.load (i32.add (local.get $s) (local.get $rowBytes))))
                    (local.set $e (v128.load (i32.add (local.get $s) (i32.shl (local.get $rowBytes) (i32.const 1)))))
                    (local.set $f (v128.load (i32.add (local.get $s) (i32.mul (local.get $rowBytes) (i32.const 3)))))
                    ;; a0 b0 a1 b1 · a2 b2 a3 b3 · e0 f0 e1 f1 · e2 f2 e3 f3
                    (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b)))
                    (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b)))
                    (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $e) (local.get $f)))
                    (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $e) (local.get $f)))
                    (local.set $d (i32.add (local.get $dst)
                      (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r)) (i32.const 2))))
                    ;; a0 b0 e0 f0 · a1 b1 e1 f1 · a2 b2 e2 f2 · a3 b3 e3 f3
                    (v128.store (local.get $d)
                      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
                    (v128.store (i32.add (local.get $d) (local.get $colBytes))
                      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
                    (v128.store (i32.add (local.get $d) (i32.shl (local.get $colBytes) (i32.const 1)))
                      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
                    (v128.store (i32.add (local.get $d) (i32.mul (local.get $colBytes) (i32.const 3)))
                      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
                    (local.set $c (i32.add (local.get $c) (i32.const 4)))
                    (br $cNext)))
                (local.set $r (i32.add (local.get $r) (i32.const 4)))
                (br $rNext)))
            (local.set $ct (i32.add (local.get $ct) (i32.const 32)))
            (br $ctNext)))
        (local.set $rt (i32.add (local.get $rt) (i32.const 32)))
        (br $rtNext)))
    ;; Rows [r4, rows), every column; then rows [0, r4), columns [c4, cols).
    (call $transposeScalar (local.get $src) (local.get $dst) (local.get $rows) (local.get $cols)
      (local.get $r4) (local.get $rows) (i32.const 0) (local.get $cols))
    (call $transposeScalar (local.get $src) (local.get $dst) (local.get $rows) (local.get $cols)
      (i32.const 0) (local.get $r4) (local.get $c4) (local.get $cols)))

  (func $transposeScalar (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32)
    (param $r0 i32) (param $r1 i32) (param $c0 i32) (param $c1 i32)
    (local $r i32) (local $c i32)
    (local.set $r (local.get $r0))
    (block $rDone
      (loop $rNext
        (br_if $rDone (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $c (local.get $c0))
        (block $cDone
          (loop $cNext
            (br_if $cDone (i32.ge_u (local.get $c) (local.get $c1)))
            (f32.store
              (i32.add (local.get $dst)
                (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r)) (i32.const 2)))
              (f32.load
                (i32.add (local.get $src)
                  (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2)))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $cNext)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rNext))))

  ;; dst[i] += src[i] for n floats.
  (func $addIntoInternal (export "addInto") (param $dst i32) (param $src i32) (param $n i32)
    (local $end i32) (local $end4 i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $dst) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done4
      (loop $next4
        (br_if $done4 (i32.ge_u (local.get $dst) (local.get $end4)))
        (v128.store (local.get $dst)
          (f32x4.add (v128.load (local.get $dst)) (v128.load (local.get $src))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br $next4)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst) (f32.add (f32.load (local.get $dst)) (f32.load (local.get $src))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (br $next))))

  ;; The adjoint of im2colTap: adds one filter tap's rows of transposed column data back into
  ;; images, dst[c][b][oh·SH + ihBase][ow·SW + shift] += src[c][b][oh][ow] for the output
  ;; columns [lo, hi) and rows whose pixel lies inside the image; the rest is dropped. dst
  ;; holds the images channel-major, [C][count][H][W]; src is C · count · OH · OW floats.
  (func (export "col2imTap")
    (param $src i32) (param $dst i32) (param $C i32) (param $count i32)
    (param $H i32) (param $W i32) (param $OH i32) (param $OW i32)
    (param $SH i32) (param $SW i32) (param $ihBase i32) (param $shift i32)
    (param $lo i32) (param $hi i32)
    (local $image i32) (local $images i32) (local $oh i32) (local $ih i32)
    (local $row i32) (local $ow i32) (local $imageBytes i32) (local $at i32)
    (local.set $imageBytes (i32.shl (i32.mul (local.get $H) (local.get $W)) (i32.const 2)))
    (local.set $images (i32.mul (local.get $C) (local.get $count)))
    (block $imagesDone
      (loop $nextImage
        (br_if $imagesDone (i32.ge_u (local.get $image) (local.get $images)))
        (local.set $oh (i32.const 0))
        (block $rowsDone
          (loop $nextRow
            (br_if $rowsDone (i32.ge_u (local.get $oh) (local.get $OH)))
            (local.set $ih (i32.add (i32.mul (local.get $oh) (local.get $SH)) (local.get $ihBase)))
            (if (i32.and (i32.ge_s (local.get $ih) (i32.const 0)) (i32.lt_s (local.get $ih) (local.get $H)))
              (then
                (local.set $row
                  (i32.add (local.get $dst)
                    (i32.shl
                      (i32.add (i32.mul (local.get $ih) (local.get $W)) (local.get $shift))
                      (i32.const 2))))
                (if (i32.eq (local.get $SW) (i32.const 1))
                  (then
                    (call $addIntoInternal
                      (i32.add (local.get $row) (i32.shl (local.get $lo) (i32.const 2)))
                      (i32.add (local.get $src) (i32.shl (local.get $lo) (i32.const 2)))
                      (i32.sub (local.get $hi) (local.get $lo))))
                  (else
                    (local.set $ow (local.get $lo))
                    (block $colsDone
                      (loop $nextCol
                        (br_if $colsDone (i32.ge_s (local.get $ow) (local.get $hi)))
                        (local.set $at
                          (i32.add (local.get $row)
                            (i32.shl (i32.mul (local.get $ow) (local.get $SW)) (i32.const 2))))
                        (f32.store (local.get $at)
                          (f32.add (f32.load (local.get $at))
                            (f32.load (i32.add (local.get $src) (i32.shl (local.get $ow) (i32.const 2))))))
                        (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
                        (br $nextCol)))))))
            (local.set $src (i32.add (local.get $src) (i32.shl (local.get $OW) (i32.const 2))))
            (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
            (br $nextRow)))
        (local.set $dst (i32.add (local.get $dst) (local.get $imageBytes)))
        (local.set $image (i32.add (local.get $image) (i32.const 1)))
        (br $nextImage))))
)
