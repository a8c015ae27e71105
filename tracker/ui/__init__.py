"""The only streamlit code outside pages/: the frame, sign-in, cached readers and widgets."""
