from setuptools import setup

setup(
    name="intent-mcp",
    version="0.4.0",
    packages=["intent_mcp"],
    package_data={"intent_mcp": ["intent.onnx"]},
    install_requires=["mcp>=1.9", "onnxruntime>=1.18", "numpy>=1.26"],
)
