"""The original's web server for bench/http.sh: Flask's own threaded server (what the Python
original ran, port 5000), serving GET /api/gpus in the original's shape, built per request as
its route did. Written for the benchmark from the original's documented answer shape, with
the GPU values fixed (the original also asked NVML per request, which only adds to its
time): this measures the least the original's server spends per request.
usage: /usr/bin/python3 bench/flask_gpus.py PORT"""
import logging
import sys

from flask import Flask, jsonify

app = Flask(__name__)
logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log, as FlowLine has none


def gpu(index):
    return {
        "free_memory": 24000, "total_memory": 24000, "utilization": 0,
        "user_process_num": 0, "all_process_num": 0, "name": "FlowLine Simulated GPU",
        "temperature": 35, "power": 60.0, "max_power": 300.0, "status": "available",
    }


@app.route("/api/gpus")
def gpus():
    return jsonify({str(i): gpu(i) for i in range(2)})


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(sys.argv[1]), threaded=True)
