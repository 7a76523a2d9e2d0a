"""The seed's own run in Keras, for bench/keras.ts (never part of the install or the tests).

VGG16(weights=None, include_top=False) on 32x32, every layer before block5_conv1 frozen,
Flatten -> Dense(512, relu) -> Dense(10, softmax), rmsprop, categorical cross-entropy,
batch 64, x / 255 (the seed's preprocessing; the trainer runs with --preprocessing unit).
Data: the CIFAR-10 binary archive given, read here (data_batch_* train, test_batch validation),
optionally --subset N images a split, balanced across classes (first N/10 of each class).
Augmentation: --augment flip,shift=N as Keras layers (RandomFlip horizontal, RandomTranslation
of N pixels, zeros filling in) in front of the base, active in training only.
Prints one JSON line per epoch and one at the end, each with its wall and CPU seconds.
"""
import argparse
import json
import os
import tarfile
import time

started = time.time()
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import keras  # noqa: E402

args = argparse.ArgumentParser()
args.add_argument("--data", required=True)
args.add_argument("--epochs", type=int, default=2)
args.add_argument("--batch-size", type=int, default=64)
args.add_argument("--augment", default="none")
args.add_argument("--subset", type=int, default=0)
opts = args.parse_args()


def read_archive(path):
    train, test = [], []
    with tarfile.open(path) as archive:
        for member in archive:
            name = os.path.basename(member.name)
            if not name.endswith(".bin"):
                continue
            records = np.frombuffer(archive.extractfile(member).read(), np.uint8).reshape(-1, 3073)
            (test if name.startswith("test_batch") else train).append(records)
    return np.concatenate(train), np.concatenate(test)


def split(records, subset):
    labels = records[:, 0].astype(np.int64)
    if subset:
        keep = np.concatenate([np.flatnonzero(labels == k)[: subset // 10] for k in range(10)])
        records, labels = records[np.sort(keep)], labels[np.sort(keep)]
    images = records[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return images.astype(np.float32) / 255.0, keras.utils.to_categorical(labels, 10)


train_records, test_records = read_archive(opts.data)
x_train, y_train = split(train_records, opts.subset)
x_test, y_test = split(test_records, opts.subset)

base = keras.applications.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))
trainable = False
for layer in base.layers:
    trainable = trainable or layer.name == "block5_conv1"
    layer.trainable = trainable

inputs = keras.Input((32, 32, 3))
x = inputs
for part in [p for p in opts.augment.split(",") if p and p != "none"]:
    if part == "flip":
        x = keras.layers.RandomFlip("horizontal")(x)
    elif part.startswith("shift="):
        f = int(part.split("=")[1]) / 32
        x = keras.layers.RandomTranslation(f, f, fill_mode="constant", fill_value=0.0)(x)
    else:
        raise SystemExit(f"--augment: expected flip and/or shift=N, got {part}")
x = base(x)
x = keras.layers.Flatten()(x)
x = keras.layers.Dense(512, activation="relu")(x)
outputs = keras.layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])


class EpochTimes(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.time()
        self.cpu_start = time.process_time()

    def on_epoch_end(self, epoch, logs=None):
        line = {
            "event": "epoch",
            "epoch": epoch + 1,
            "seconds": time.time() - self.start,
            # CPU time of the whole process (all of TensorFlow's threads).
            "cpu_seconds": time.process_time() - self.cpu_start,
        }
        line.update({k: float(v) for k, v in (logs or {}).items()})
        print(json.dumps(line), flush=True)


fit_started = time.time()
model.fit(
    x_train,
    y_train,
    batch_size=opts.batch_size,
    epochs=opts.epochs,
    validation_data=(x_test, y_test),
    callbacks=[EpochTimes()],
    verbose=0,
)
print(
    json.dumps(
        {
            "event": "done",
            "keras": keras.__version__,
            "backend": keras.backend.backend(),
            "train": int(len(x_train)),
            "validation": int(len(x_test)),
            "before_fit_seconds": fit_started - started,
            "script_seconds": time.time() - started,
            "cpu_seconds": time.process_time(),
        }
    ),
    flush=True,
)
