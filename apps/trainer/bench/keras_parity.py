"""Keras side of bench/keras-parity.ts (never part of the install or the tests).

Builds the seed model flat (VGG16(weights=None, include_top=False) on 32x32, layers before
block5_conv1 frozen, flatten -> fc1 Dense(512, relu) -> predictions Dense(10, softmax): the names
@trainbook/model gives them), writes its initial weights in Keras' HDF5 weights layout (the
`layer_names` / `weight_names` one `load_weights` reads), then trains STEPS batches of the images
given, in order, with rmsprop (Keras' defaults) and categorical cross-entropy, x / 255, printing
each batch's own loss (train_on_batch resets the metrics each call) as one JSON line.

Usage: python keras_parity.py IMAGES.u8 LABELS.u8 STEPS BATCH OUT.h5 [SEED]
IMAGES.u8: uint8 [n, 32, 32, 3] HWC; LABELS.u8: uint8 [n].
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras.src.legacy.saving import legacy_h5_format  # noqa: E402

images_path, labels_path, steps, batch, out = sys.argv[1:6]
steps, batch = int(steps), int(batch)
keras.utils.set_random_seed(int(sys.argv[6]) if len(sys.argv) > 6 else 0)

n = steps * batch
x = np.fromfile(images_path, np.uint8)[: n * 3072].reshape(n, 32, 32, 3).astype(np.float32) / 255.0
y = keras.utils.to_categorical(np.fromfile(labels_path, np.uint8)[:n], 10)

base = keras.applications.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))
trainable = False
for layer in base.layers:
    trainable = trainable or layer.name == "block5_conv1"
    layer.trainable = trainable
h = keras.layers.Flatten(name="flatten")(base.output)
h = keras.layers.Dense(512, activation="relu", name="fc1")(h)
outputs = keras.layers.Dense(10, activation="softmax", name="predictions")(h)
model = keras.Model(base.input, outputs)
model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])

with h5py.File(out, "w") as f:
    legacy_h5_format.save_weights_to_hdf5_group(f, model)

opt = model.optimizer
print(json.dumps({"event": "config", "keras": keras.__version__, "optimizer": {
    "name": type(opt).__name__, "learning_rate": float(opt.learning_rate), "rho": opt.rho,
    "epsilon": opt.epsilon, "momentum": opt.momentum, "centered": opt.centered}}), flush=True)
for step in range(steps):
    s = slice(step * batch, (step + 1) * batch)
    loss, accuracy = model.train_on_batch(x[s], y[s])
    print(json.dumps({"event": "step", "step": step, "loss": float(loss)}), flush=True)
